import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import { createNedbStore, createStore } from '../../core/store/index.ts';
import { connectRedis } from '../../queues/index.ts';
import { createWhatsAppWebRelay, localWhatsAppWebLinks, recordWhatsAppWebLink, recordWhatsAppWebLinks, serveWhatsAppWebLinks } from '../../queues/notify/index.ts';
import { FakeWhatsAppWebGateway, gatewaysBy } from '../channels/fake-whatsapp-web-gateway.ts';
import { expectStatus, waitFor } from '../helpers/expect-and-wait.ts';
import { queuePrefix, REDIS_URL, sweepPrefix } from '../helpers/test-queues.ts';
import { testApp } from '../helpers/test-services.ts';

// The connection test of a WhatsApp Web connection asks the process that drives WhatsApp Web:
// the API of that process asks its own sessions, an API process without sessions asks over the
// relay, as the login routes do.
const prefix = queuePrefix('waweb-check');
const lonelyPrefix = queuePrefix('waweb-check-none');
const store = createStore(createNedbStore({ dir: '', inMemory: true }));
const { gateways, gatewayOf } = gatewaysBy(() => new FakeWhatsAppWebGateway('qr'));
const closers: (() => Promise<unknown>)[] = [];

let redis: Redis;
let sessions: ReturnType<typeof recordWhatsAppWebLinks>;
let worker: ReturnType<typeof testApp>;
let api: ReturnType<typeof testApp>;

beforeAll(async () => {
  redis = connectRedis(REDIS_URL);
  worker = testApp({ store });
  // As the hub wires them: every session records its link on its connection.
  sessions = recordWhatsAppWebLinks({ sessions: createWhatsAppWebSessions({ dataDir: '/nonexistent-whatsapp-web', createGateway: (id) => gatewayOf(id) }), store, logger: worker.services.logger, now: () => new Date() });
  worker.services.whatsappWeb = sessions;
  const server = serveWhatsAppWebLinks({ links: localWhatsAppWebLinks({ sessions, store }), publisher: redis, subscriber: redis.duplicate(), queuePrefix: prefix });
  closers.push(() => server.close());
  const relay = createWhatsAppWebRelay({ publisher: redis, subscriber: redis.duplicate(), queuePrefix: prefix, timeoutMs: 3000 });
  closers.push(() => relay.close());
  api = testApp({ store, vault: worker.services.vault, whatsappWebLinks: relay });
  await Promise.all([server.ready, relay.ready]);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await sessions.closeAll();
  for (const p of [prefix, lonelyPrefix]) await sweepPrefix(redis, p);
  await redis.quit().catch(() => redis.disconnect());
});

interface CheckOut {
  ok: boolean;
  code?: string;
  message?: string;
}
interface ConnectionOut {
  lastCheck?: { ok: boolean; message?: string };
}

/** A tenant of the shared store with one WhatsApp Web connection, calling the app given. */
async function tenant(slug: string, app: ReturnType<typeof testApp>) {
  const t = await worker.tenant(`${slug}-${Math.random().toString(36).slice(2, 8)}`);
  const call = (method: string, path: string) => app.call(method, path, { key: t.key });
  const created = await expectStatus<{ id: string }>(worker.call('POST', '/v1/connections', { key: t.key, body: { name: 'WhatsApp', connector: 'whatsapp-web', config: {}, credentials: {} } }), 201);
  const id = created.id;
  return {
    id,
    target: { tenantId: t.id, connectionId: id },
    /** Runs the connection test and checks that the connection recorded what it answered. */
    async test(): Promise<CheckOut> {
      const out = await expectStatus<CheckOut & { checkedAt: string }>(call('POST', `/v1/connections/${id}/test`), 200);
      const conn = await expectStatus<ConnectionOut>(call('GET', `/v1/connections/${id}`), 200);
      expect(conn.lastCheck).toEqual({ at: out.checkedAt, ok: out.ok, ...(out.message === undefined ? {} : { message: out.message }) });
      const { checkedAt: _at, ...check } = out;
      return check;
    },
    call,
  };
}

describe.each([
  ['the process running the sessions', () => worker],
  ['an API process reaching them over the relay', () => api],
] as const)('POST /v1/connections/{id}/test of a WhatsApp Web connection, on %s', (_where, appOf) => {
  it('answers the state of its session, or what the connection records when none runs', async () => {
    const t = await tenant('check', appOf());

    expect(await t.test()).toEqual({ ok: false, code: 'auth_failed', message: 'not linked yet: open the link of this connection, then scan the QR code or enter the pairing code on the phone' });
    // Testing starts no session.
    expect(gateways.has(t.id)).toBe(false);

    await expectStatus(t.call('GET', `/v1/connections/${t.id}/whatsapp-web/login`), 200);
    expect(await t.test()).toEqual({ ok: false, code: 'auth_failed', message: 'not linked: waiting for the QR code to be scanned on the phone' });

    gatewayOf(t.id).link('919000000002');
    await waitFor(async () => (await expectStatus<ConnectionOut>(t.call('GET', `/v1/connections/${t.id}`), 200)).lastCheck?.ok, 5000, 'the link recorded');
    expect(await t.test()).toEqual({ ok: true, message: 'linked as +919000000002' });

    // The session stops (the process restarted, its restore still to come): linked, but it cannot send yet.
    await sessions.close(t.id);
    expect(await t.test()).toEqual({
      ok: false,
      code: 'unreachable',
      message: 'linked as +919000000002, but the session is not running; it reopens from its saved login when the process that drives WhatsApp Web starts, or when the link is opened',
    });

    await recordWhatsAppWebLink(store, t.target, { state: 'needs_relink', at: new Date(), reason: 'the phone logged this device out (LOGOUT)' });
    expect(await t.test()).toEqual({ ok: false, code: 'auth_failed', message: 'not linked: the phone logged this device out (LOGOUT); scan the QR code or enter the pairing code on the phone' });
    expect(gatewayOf(t.id).starts).toBe(1);
  });
});

describe('POST /v1/connections/{id}/test of a WhatsApp Web connection nobody drives', () => {
  it('answers 503 and leaves the recorded check alone', async () => {
    const lonely = createWhatsAppWebRelay({ publisher: redis, subscriber: redis.duplicate(), queuePrefix: lonelyPrefix, timeoutMs: 10_000 });
    closers.push(() => lonely.close());
    const alone = testApp({ store, vault: worker.services.vault, whatsappWebLinks: lonely });
    const without = testApp({ store, vault: worker.services.vault });

    for (const app of [alone, without]) {
      const t = await tenant('check-none', app);
      await recordWhatsAppWebLink(store, t.target, { state: 'linked', at: new Date('2026-03-03T05:30:00Z'), phone: '+919000000002' });
      const started = Date.now();
      const res = await t.call('POST', `/v1/connections/${t.id}/test`);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await expectStatus(res, 503)).toMatchObject({ code: 'service_unavailable' });
      expect((await expectStatus<ConnectionOut>(t.call('GET', `/v1/connections/${t.id}`), 200)).lastCheck).toEqual({ at: '2026-03-03T05:30:00.000Z', ok: true, message: 'linked as +919000000002' });
    }
  });
});
