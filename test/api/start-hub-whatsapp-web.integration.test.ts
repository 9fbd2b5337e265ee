import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../api/index.ts';
import { createWhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import { createNedbStore, createStore, type Store } from '../../core/store/index.ts';
import { generateMasterKey } from '../../core/vault/index.ts';
import { FakeWhatsAppWebGateway } from '../channels/fake-whatsapp-web-gateway.ts';
import { expectStatus, waitFor } from '../helpers/expect-and-wait.ts';
import { freePort } from '../helpers/hub-process.ts';
import { dropPrefix, queuePrefix, REDIS_URL } from '../helpers/test-queues.ts';

// A linked WhatsApp Web number keeps working across a restart of the hub: the restarted hub
// resumes the session from its saved login (in-memory gateways here) without a link request.
const root = mkdtempSync(join(tmpdir(), 'start-hub-waweb-'));
const prefixes: string[] = [];
const running: RunningHub[] = [];
const ADMIN_TOKEN = `hat_${'w'.repeat(32)}`;
const MASTER_KEY = generateMasterKey('k1');

afterEach(async () => {
  for (const hub of running.splice(0)) await hub.stop();
});
afterAll(async () => {
  for (const prefix of prefixes) await dropPrefix(prefix);
  rmSync(root, { recursive: true, force: true });
});

/** The hub's WhatsApp Web sessions over fake gateways: each connection's starts as `onStart` says. */
function fakeSessions(onStart: (connectionId: string) => 'qr' | 'restore') {
  const gateways = new Map<string, FakeWhatsAppWebGateway>();
  const factory: typeof createWhatsAppWebSessions = (options) =>
    createWhatsAppWebSessions({
      ...options,
      createGateway: (connectionId) => {
        const gateway = new FakeWhatsAppWebGateway(onStart(connectionId));
        gateways.set(connectionId, gateway);
        return gateway;
      },
    });
  return { gateways, factory };
}

/** A store that outlives each hub using it, as a MongoDB database does. */
function lastingStore(): Store {
  const store = createStore(createNedbStore({ dir: '', inMemory: true }));
  return {
    kind: store.kind,
    forTenant: (tenantId) => store.forTenant(tenantId),
    platform: (def) => store.platform(def),
    maintenance: (def) => store.maintenance(def),
    ...(store.onWrite === undefined ? {} : { onWrite: store.onWrite.bind(store) }),
    ping: () => store.ping(),
    close: async () => undefined,
  };
}

type Kind = 'embedded' | 'scale-out';

/** Starts `hub start` (embedded store under the data dir) or a scale-out process running everything (or only `mode`). */
async function start(kind: Kind, prefix: string, store: Store, sessions: typeof createWhatsAppWebSessions, mode: 'all' | 'api' | 'worker' = 'all') {
  const hub = await startHub({
    mode,
    env: {
      ...(kind === 'scale-out' ? { MONGODB_URI: 'mongodb://127.0.0.1:1/unused' } : {}),
      HUB_MASTER_KEY: MASTER_KEY,
      HUB_ADMIN_TOKEN: ADMIN_TOKEN,
      HUB_DATA_DIR: join(root, prefix),
      HUB_QUEUE_PREFIX: prefix,
      REDIS_URL,
      HUB_EMBEDDED_REDIS: 'never',
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
    },
    announce: () => undefined,
    ...(kind === 'scale-out' ? { openStore: async () => store } : {}),
    createWhatsAppWebSessions: sessions,
  });
  running.push(hub);
  const call = async (method: string, path: string, key: string, body?: unknown) =>
    fetch(`${hub.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { hub, call };
}
type Hub = Awaited<ReturnType<typeof start>>;

interface ConnectionOut {
  status: string;
  lastCheck?: { at: string; ok: boolean; message?: string };
}

interface CheckOut {
  ok: boolean;
  code?: string;
  message?: string;
  checkedAt: string;
}

/** A tenant with quiet hours off (the hub runs on the wall clock) and one WhatsApp Web connection, linked by QR. */
async function linkedTenant(hub: Hub, gateways: Map<string, FakeWhatsAppWebGateway>, slug: string) {
  const made = await expectStatus<{ tenant: { id: string }; apiKey: string }>(hub.call('POST', '/v1/tenants', ADMIN_TOKEN, { slug, name: `${slug} Pvt Ltd` }), 201);
  const key = made.apiKey;
  await expectStatus(hub.call('PUT', '/v1/notification-settings', key, { delivery: { quietHours: null } }), 200);
  const { id: connectionId } = await expectStatus<{ id: string }>(hub.call('POST', '/v1/connections', key, { name: 'WhatsApp', connector: 'whatsapp-web', config: {}, credentials: {} }), 201);
  expect(await expectStatus(hub.call('GET', `/v1/connections/${connectionId}/whatsapp-web/login`, key), 200)).toMatchObject({ state: 'qr' });
  gateways.get(connectionId)!.link('919000000002');
  await waitFor(async () => (await expectStatus<ConnectionOut>(hub.call('GET', `/v1/connections/${connectionId}`, key), 200)).lastCheck?.ok, 5000, 'the link recorded');
  return { key, connectionId };
}

describe.each<Kind>(['embedded', 'scale-out'])('startHub (%s) with WhatsApp Web connections linked before a restart', (kind) => {
  it('resumes a linked session at start and sends through it with no link request; a session that asks for a QR code instead ends as needing a new link', async () => {
    const prefix = queuePrefix('waweb-hub');
    prefixes.push(prefix);
    const store = lastingStore();

    // Before the restart: two tenants each link a phone by QR code.
    const before = fakeSessions(() => 'qr');
    const first = await start(kind, prefix, store, before.factory);
    const site = await linkedTenant(first, before.gateways, `site-${prefix.slice(-8)}`);
    const office = await linkedTenant(first, before.gateways, `office-${prefix.slice(-8)}`);
    await first.hub.stop();
    expect(before.gateways.get(site.connectionId)!.state).toBe('stopped');

    // After: the site's saved login still works; the office's phone unlinked the hub meanwhile.
    const after = fakeSessions((id) => (id === office.connectionId ? 'qr' : 'restore'));
    const second = await start(kind, prefix, store, after.factory);
    await waitFor(() => after.gateways.get(site.connectionId)?.state === 'ready', 10_000, 'the site session resumed');
    const relinked = await waitFor(
      async () => {
        const conn = await expectStatus<ConnectionOut>(second.call('GET', `/v1/connections/${office.connectionId}`, office.key), 200);
        return conn.lastCheck?.ok === false ? conn : undefined;
      },
      10_000,
      'the office recorded as needing a new link',
    );
    expect(relinked).toMatchObject({ status: 'active', lastCheck: { ok: false, message: expect.stringMatching(/^not linked: WhatsApp Web asked for a new QR code.*; scan the QR code or enter the pairing code on the phone$/) } });
    expect(after.gateways.get(office.connectionId)!.state).toBe('stopped');
    expect((await expectStatus<ConnectionOut>(second.call('GET', `/v1/connections/${site.connectionId}`, site.key), 200)).lastCheck).toMatchObject({ ok: true, message: 'linked as +919000000002' });

    const person = await expectStatus<{ id: string }>(second.call('POST', '/v1/people', site.key, { name: 'Farhan', whatsapp: '+91 98765 43210', channels: ['whatsapp'] }), 201);
    const requested = await expectStatus<{ notificationId: string }>(
      second.call('POST', '/v1/notifications', site.key, {
        purpose: 'probe',
        recipient: { personId: person.id },
        templateKey: 'probe.status',
        vars: { 'milestone.title': 'Roof waterproofing', 'project.name': 'Sharma Residency', 'owner.name': 'Farhan', dueDate: '2026-03-15', replyOptions: 'Reply 1 on track, 2 delayed, 3 done', probeRef: '#P7K2M' },
      }),
      202,
    );
    const sent = await waitFor(
      async () => {
        const doc = await expectStatus<{ status: string; providerMessageId?: string; attempts: { outcome: string }[] }>(second.call('GET', `/v1/notifications/${requested.notificationId}`, site.key), 200);
        return doc.status === 'queued' || doc.status === 'sending' ? undefined : doc;
      },
      15_000,
      'the notification settled',
    );
    const gateway = after.gateways.get(site.connectionId)!;
    expect(sent).toMatchObject({ status: 'sent', providerMessageId: gateway.sent[0]?.id, attempts: [{ outcome: 'sent' }] });
    expect(gateway.sent).toEqual([expect.objectContaining({ chatId: '919876543210@c.us', text: expect.stringContaining('Roof waterproofing') })]);
    // Opened once, at start: nobody asked for the link.
    expect(gateway.starts).toBe(1);
  });
});

describe.each<Kind>(['embedded', 'scale-out'])('startHub (%s): the connection test of a WhatsApp Web connection', (kind) => {
  it('answers from the sessions the hub runs, and from what the connection records when none runs', async () => {
    const prefix = queuePrefix('waweb-hub-check');
    prefixes.push(prefix);
    const store = lastingStore();
    const { gateways, factory } = fakeSessions(() => 'qr');
    const hub = await start(kind, prefix, store, factory);
    const { key, connectionId } = await linkedTenant(hub, gateways, `check-${prefix.slice(-8)}`);

    const linked = await expectStatus<CheckOut>(hub.call('POST', `/v1/connections/${connectionId}/test`, key), 200);
    expect(linked).toMatchObject({ ok: true, message: 'linked as +919000000002' });
    expect((await expectStatus<ConnectionOut>(hub.call('GET', `/v1/connections/${connectionId}`, key), 200)).lastCheck).toEqual({ at: linked.checkedAt, ok: true, message: 'linked as +919000000002' });

    // The phone logs the hub out: the session is still open, and the test says to link again.
    gateways.get(connectionId)!.disconnect('LOGOUT');
    const loggedOut = await expectStatus<CheckOut>(hub.call('POST', `/v1/connections/${connectionId}/test`, key), 200);
    expect(loggedOut).toMatchObject({ ok: false, code: 'auth_failed', message: 'not linked: the phone logged this device out (LOGOUT); scan the QR code or enter the pairing code on the phone' });

    // A second connection nobody linked: no session runs, and testing opens none.
    const { id: fresh } = await expectStatus<{ id: string }>(hub.call('POST', '/v1/connections', key, { name: 'WhatsApp 2', connector: 'whatsapp-web', config: {}, credentials: {} }), 201);
    expect(await expectStatus<CheckOut>(hub.call('POST', `/v1/connections/${fresh}/test`, key), 200)).toMatchObject({ ok: false, code: 'auth_failed', message: expect.stringMatching(/^not linked yet/) });
    expect(gateways.has(fresh)).toBe(false);
  });
});

describe('startHub in scale-out, hub api beside hub worker: the connection test of a WhatsApp Web connection', () => {
  it('asks the worker over the relay, and answers 503 without recording anything once no worker drives WhatsApp Web', async () => {
    const prefix = queuePrefix('waweb-hub-split');
    prefixes.push(prefix);
    const store = lastingStore();
    const { gateways, factory } = fakeSessions(() => 'qr');
    const worker = await start('scale-out', prefix, store, factory, 'worker');
    const api = await start('scale-out', prefix, store, factory, 'api');
    const { key, connectionId } = await linkedTenant(api, gateways, `split-${prefix.slice(-8)}`);

    const linked = await expectStatus<CheckOut>(api.call('POST', `/v1/connections/${connectionId}/test`, key), 200);
    expect(linked).toMatchObject({ ok: true, message: 'linked as +919000000002' });

    await worker.hub.stop();
    const res = await api.call('POST', `/v1/connections/${connectionId}/test`, key);
    expect(await expectStatus(res, 503)).toMatchObject({ code: 'service_unavailable' });
    expect((await expectStatus<ConnectionOut>(api.call('GET', `/v1/connections/${connectionId}`, key), 200)).lastCheck).toEqual({ at: linked.checkedAt, ok: true, message: 'linked as +919000000002' });
  });
});
