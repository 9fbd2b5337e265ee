import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthExpiredError } from '../../connectors/index.ts';
import { createWhatsAppWebSessions, type WhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import { connectionsCollection, loadConnection } from '../../core/connections/index.ts';
import { createNedbStore, createStore, type Store } from '../../core/store/index.ts';
import { connectRedis } from '../../queues/index.ts';
import {
  recordWhatsAppWebLink,
  recordWhatsAppWebLinks,
  routeWhatsAppWeb,
  startWhatsAppWebRestore,
  whatsAppWebLinkOf,
  whatsAppWebRelayChannels,
  type WhatsAppWebRelayOwnership,
} from '../../queues/notify/index.ts';
import { FakeWhatsAppWebGateway, gatewaysBy } from '../channels/fake-whatsapp-web-gateway.ts';
import { expectStatus, waitFor } from '../helpers/expect-and-wait.ts';
import { prefixTracker, REDIS_URL } from '../helpers/test-queues.ts';
import { testApp } from '../helpers/test-services.ts';

// After a restart, or when another process takes the relay's lease, the process that drives
// WhatsApp Web reopens the sessions of the connections recorded as linked from their saved
// logins (in-memory gateways here), and records those whose saved login no longer works.
const LEASE_TTL_MS = 800;
const LEASE_RENEW_MS = 150;
const QR_PAYLOAD = '2@fakeQrPayload,one';
const at = new Date('2026-03-03T05:30:00Z');
const prefixes = prefixTracker();
const closers: (() => Promise<unknown>)[] = [];
let redis: Redis;

beforeAll(() => {
  redis = connectRedis(REDIS_URL);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await prefixes.sweep(redis);
  await redis.quit().catch(() => redis.disconnect());
});

/** What a connection's saved login does when its session starts again. */
type Resume = 'restore' | 'qr' | 'refused' | 'no-browser';

/** A gateway that resumes as told, and whose start can be held, as a slow browser's. */
class ResumingGateway extends FakeWhatsAppWebGateway {
  hold: Promise<void> | undefined;
  readonly #resume: Resume;
  constructor(resume: Resume) {
    super(resume === 'restore' ? 'restore' : 'qr');
    this.#resume = resume;
  }
  override async start(): Promise<void> {
    if (this.hold !== undefined) await this.hold;
    if (this.#resume === 'no-browser') throw new Error('Failed to launch the browser process');
    if (this.#resume !== 'refused') return super.start();
    this.starts += 1;
    this.failAuth('Unable to log in. Are the session details valid?');
  }
}

/** A fresh store and API, so one test's linked connections are not another's. */
function world() {
  const store = createStore(createNedbStore({ dir: '', inMemory: true }));
  const api = testApp({ store });
  async function tenant(slug: string) {
    const t = await api.tenant(`${slug}-${Math.random().toString(36).slice(2, 8)}`);
    const call = (method: string, path: string, body?: unknown) => api.call(method, path, { key: t.key, ...(body === undefined ? {} : { body }) });
    return {
      id: t.id,
      call,
      /** A WhatsApp Web connection, recorded as linked when `linked`. */
      async connection(name: string, { linked = false }: { linked?: boolean } = {}): Promise<string> {
        const created = await expectStatus<{ id: string }>(call('POST', '/v1/connections', { name, connector: 'whatsapp-web', config: {}, credentials: {} }), 201);
        if (linked) await recordWhatsAppWebLink(store, { tenantId: t.id, connectionId: created.id }, { state: 'linked', at, phone: '+919000000002' });
        return created.id;
      },
    };
  }
  return { store, tenant };
}

/** One process's sessions over gateways that resume as `resumeOf` says, recording links in `store` as `hub start` wires them, with what it logged. */
function sessionsOf(store: Store, resumeOf: (connectionId: string) => Resume = () => 'restore') {
  const { gateways, gatewayOf } = gatewaysBy((connectionId) => new ResumingGateway(resumeOf(connectionId)));
  const logged: { level: 'info' | 'warn'; fields: Record<string, unknown>; message: string }[] = [];
  const logger = {
    info: (fields: object, message: string) => void logged.push({ level: 'info', fields: fields as Record<string, unknown>, message }),
    warn: (fields: object, message: string) => void logged.push({ level: 'warn', fields: fields as Record<string, unknown>, message }),
  };
  const sessions = recordWhatsAppWebLinks({ sessions: createWhatsAppWebSessions({ dataDir: '/nonexistent-whatsapp-web', createGateway: (id) => gatewayOf(id) }), store, logger, now: () => at });
  closers.push(() => sessions.closeAll());
  return { gateways, gatewayOf, sessions, logged, logger };
}

/** A worker process over `prefix`: its sessions and its route to WhatsApp Web. */
function workerProcess(store: Store, prefix: string, resumeOf?: (connectionId: string) => Resume) {
  const side = sessionsOf(store, resumeOf);
  const ownership: WhatsAppWebRelayOwnership[] = [];
  const route = routeWhatsAppWeb({
    sessions: side.sessions,
    store,
    redis,
    queuePrefix: prefix,
    leaseTtlMs: LEASE_TTL_MS,
    leaseRenewMs: LEASE_RENEW_MS,
    timeoutMs: 1000,
    restore: { logger: side.logger },
    onOwnership: (change) => ownership.push(change),
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await route.close();
    await side.sessions.closeAll();
  };
  closers.push(close);
  return { ...side, route, ownership, close };
}

const stateOf = (sessions: WhatsAppWebSessions, connectionId: string) => sessions.get(connectionId)?.login().state;
const message = (key: string) => ({ to: '+919876543210', text: 'How is Roof waterproofing going?', idempotencyKey: key });

describe('reopening linked WhatsApp Web sessions when a process starts driving WhatsApp Web', () => {
  it('has the process that takes the lease over reopen the linked sessions from their saved logins, and send through them without a link request', async () => {
    const { store, tenant } = world();
    const t = await tenant('restore-handover');
    const linked = await t.connection('Site office', { linked: true });
    const never = await t.connection('Never linked');
    const paused = await t.connection('Paused', { linked: true });
    await expectStatus(t.call('PATCH', `/v1/connections/${paused}`, { status: 'paused' }), 200);
    const other = await tenant('restore-handover-other');
    const elsewhere = await other.connection('Head office', { linked: true });

    const prefix = prefixes.make('waweb-restore-handover');
    const a = workerProcess(store, prefix);
    await a.route.ready;
    expect(a.route.owns()).toBe(true);
    await waitFor(() => stateOf(a.sessions, linked) === 'ready' && stateOf(a.sessions, elsewhere) === 'ready', 5000, 'the holder resuming its linked sessions');
    const b = workerProcess(store, prefix);
    await b.route.ready;
    expect(b.route.owns()).toBe(false);
    expect(b.gateways.size).toBe(0);

    // The holder stops; the other takes the lease and resumes the same sessions, nobody scanning.
    await a.close();
    await waitFor(() => b.route.owns(), 2 * LEASE_TTL_MS, 'the other process taking over');
    await waitFor(() => stateOf(b.sessions, linked) === 'ready' && stateOf(b.sessions, elsewhere) === 'ready', 5000, 'the new holder resuming the linked sessions');
    expect(b.gatewayOf(linked).starts).toBe(1);
    expect(b.gatewayOf(elsewhere).starts).toBe(1);
    expect(b.gateways.has(never)).toBe(false);
    expect(b.gateways.has(paused)).toBe(false);

    const sent = await b.route.sends.send({ tenantId: t.id, connectionId: linked }, message('k-1'));
    expect(sent).toEqual({ messageId: b.gatewayOf(linked).sent[0]!.id, status: 'queued' });
    expect(a.gatewayOf(linked).sent).toEqual([]);
    // A connection nobody linked still has no session to send through: it fails at once, since someone must link it.
    await expect(b.route.sends.send({ tenantId: t.id, connectionId: never }, message('k-2'))).rejects.toBeInstanceOf(AuthExpiredError);
    expect(b.logged.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('closes a session it was still opening when the lease passes to another process', async () => {
    const { store, tenant } = world();
    const t = await tenant('restore-lost');
    const linked = await t.connection('Site office', { linked: true });
    const prefix = prefixes.make('waweb-restore-lost');
    const a = workerProcess(store, prefix);
    let release = (): void => undefined;
    a.gatewayOf(linked).hold = new Promise<void>((resolve) => (release = resolve));
    await a.route.ready;
    expect(a.route.owns()).toBe(true);

    // The browser is slow to start; meanwhile another process takes the lease.
    await redis.set(whatsAppWebRelayChannels(prefix).owner, 'another-process', 'PX', 60_000);
    await waitFor(() => a.ownership.some((c) => !c.owner), 2 * LEASE_TTL_MS, 'losing the lease');
    release();
    await waitFor(() => a.gatewayOf(linked).starts === 1 && a.gatewayOf(linked).state === 'stopped', 2000, 'the late session closed');
    expect(a.sessions.get(linked)).toBeUndefined();
    await redis.del(whatsAppWebRelayChannels(prefix).owner);
  });
});

describe('startWhatsAppWebRestore', () => {
  it('records a connection whose saved login no longer works as needing a new link, closes its session, and resumes the others', async () => {
    const { store, tenant } = world();
    const t = await tenant('restore-outcomes');
    const asksQr = await t.connection('QR asked', { linked: true });
    const noBrowser = await t.connection('No browser', { linked: true });
    const refused = await t.connection('Refused', { linked: true });
    const resumes = await t.connection('Resumes', { linked: true });
    const resume: Record<string, Resume> = { [asksQr]: 'qr', [noBrowser]: 'no-browser', [refused]: 'refused', [resumes]: 'restore' };
    const side = sessionsOf(store, (id) => resume[id]!);

    const results = await startWhatsAppWebRestore({ sessions: side.sessions, store, logger: side.logger, concurrency: 1 }).done;
    expect(Object.fromEntries(results.map((r) => [r.connectionId, r.outcome]))).toEqual({ [asksQr]: 'needs_relink', [noBrowser]: 'failed', [refused]: 'needs_relink', [resumes]: 'ready' });

    // Refused logins: recorded as the connection test shows an unlinked session, their browsers closed.
    const db = store.forTenant(t.id);
    for (const id of [asksQr, refused]) {
      const conn = (await loadConnection(db, id))!;
      expect(whatsAppWebLinkOf(conn)).toMatchObject({ state: 'needs_relink', at });
      expect(conn.lastCheck).toMatchObject({ at, ok: false, message: expect.stringMatching(/^not linked: .*; scan the QR code or enter the pairing code on the phone$/) });
      expect(conn.status).toBe('active');
      expect(side.sessions.get(id)).toBeUndefined();
      expect(side.gatewayOf(id).state).toBe('stopped');
    }
    expect(whatsAppWebLinkOf((await loadConnection(db, refused))!)?.reason).toContain('Unable to log in');
    // A browser that does not start is not a lost login: the record stays, to try again next time.
    expect(whatsAppWebLinkOf((await loadConnection(db, noBrowser))!)).toMatchObject({ state: 'linked' });
    expect(side.sessions.get(noBrowser)).toBeUndefined();
    expect(stateOf(side.sessions, resumes)).toBe('ready');

    const warnings = side.logged.filter((l) => l.level === 'warn');
    expect(warnings.map((w) => w.fields['connectionId']).sort()).toEqual([asksQr, noBrowser, refused].sort());
    expect(warnings.every((w) => w.fields['tenantId'] === t.id)).toBe(true);
    expect(JSON.stringify(side.logged)).not.toContain(QR_PAYLOAD);

    // The next start tries only what is still linked.
    const again = sessionsOf(store, () => 'restore');
    const next = await startWhatsAppWebRestore({ sessions: again.sessions, store }).done;
    expect(next.map((r) => r.connectionId).sort()).toEqual([noBrowser, resumes].sort());
  });

  it('stops at once when asked, leaving nothing half-open', async () => {
    const { store, tenant } = world();
    const t = await tenant('restore-stop');
    const first = await t.connection('First', { linked: true });
    const second = await t.connection('Second', { linked: true });
    const side = sessionsOf(store);
    let release = (): void => undefined;
    side.gatewayOf(first).hold = new Promise<void>((resolve) => (release = resolve));
    const restore = startWhatsAppWebRestore({ sessions: side.sessions, store, concurrency: 1 });
    await waitFor(() => side.gateways.has(first), 2000, 'the first session opening');

    const stopping = restore.stop();
    release();
    await stopping;
    expect(await restore.done).toEqual([
      expect.objectContaining({ connectionId: first, outcome: 'skipped' }),
      expect.objectContaining({ connectionId: second, outcome: 'skipped' }),
    ]);
    expect(side.sessions.get(first)).toBeUndefined();
    expect(side.gatewayOf(first).state).toBe('stopped');
    expect(side.gateways.get(second)?.starts ?? 0).toBe(0);
  });
});

describe('recordWhatsAppWebLinks', () => {
  it('records a link when the phone links, and a needed relink when the phone logs the device out', async () => {
    const { store, tenant } = world();
    const t = await tenant('record-links');
    const id = await t.connection('Site office');
    const gateway = new FakeWhatsAppWebGateway('qr');
    const logged: unknown[] = [];
    const sessions = recordWhatsAppWebLinks({
      sessions: createWhatsAppWebSessions({ dataDir: '/nonexistent-whatsapp-web', createGateway: () => gateway }),
      store,
      logger: { warn: (fields: object) => void logged.push(fields) },
      now: () => at,
    });
    closers.push(() => sessions.closeAll());
    const db = store.forTenant(t.id);
    const record = async () => {
      const conn = await db.collection(connectionsCollection).findById(id);
      return conn === null ? undefined : whatsAppWebLinkOf(conn);
    };

    // Showing a QR code to someone linking for the first time records nothing.
    await sessions.open(id);
    gateway.showQr('2@fakeQrPayload,two');
    await new Promise((r) => setTimeout(r, 50));
    expect(await record()).toBeUndefined();

    gateway.link('919000000002');
    await waitFor(async () => (await record())?.state === 'linked', 2000, 'the link recorded');
    expect(await record()).toEqual({ state: 'linked', at, phone: '+919000000002' });
    expect((await db.collection(connectionsCollection).findById(id))!.lastCheck).toEqual({ at, ok: true, message: 'linked as +919000000002' });

    gateway.disconnect('LOGOUT');
    await waitFor(async () => (await record())?.state === 'needs_relink', 2000, 'the relink recorded');
    expect(await record()).toMatchObject({ state: 'needs_relink', reason: 'the phone logged this device out (LOGOUT)' });
    expect(logged).toEqual([]);
  });
});
