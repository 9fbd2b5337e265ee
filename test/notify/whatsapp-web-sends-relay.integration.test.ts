import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthExpiredError, createOutboundHttp, TransientVendorError, UnrecoverableVendorError } from '../../connectors/index.ts';
import { createWhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import { createNedbStore, createStore } from '../../core/store/index.ts';
import { connectRedis, createQueues, type HubQueues } from '../../queues/index.ts';
import {
  createChannelConnections,
  createNotifier,
  recentWhatsAppWebSendKey,
  recordWhatsAppWebLink,
  routeWhatsAppWeb,
  sendersOf,
  UnconfirmedSendError,
  whatsAppWebRelayChannels,
  type WhatsAppWebRelayOwnership,
} from '../../queues/notify/index.ts';
import { FakeWhatsAppWebGateway, gatewaysBy } from '../channels/fake-whatsapp-web-gateway.ts';
import { expectStatus, waitFor } from '../helpers/expect-and-wait.ts';
import { dropQueues, prefixTracker, REDIS_URL } from '../helpers/test-queues.ts';
import { testApp } from '../helpers/test-services.ts';
import { probeNotifications } from './notify-fixture.ts';

// Several worker processes over one store and one Redis, each with WhatsApp Web sessions (over
// in-memory gateways) and a notifier: only the holder of the relay's lease sends through its
// sessions; the others pass their sends to it.
const LEASE_TTL_MS = 800;
const LEASE_RENEW_MS = 150;
const TIMEOUT_MS = 1000;
const UNCONFIRMED_RETRY_MS = 7000;
// 11:00 in Kolkata, outside the default quiet hours.
const clock = { at: new Date('2026-03-03T05:30:00Z') };
const now = () => new Date(clock.at.getTime());

const store = createStore(createNedbStore({ dir: '', inMemory: true }));
const api = testApp({ store });
const prefixes = prefixTracker();
const closers: (() => Promise<unknown>)[] = [];
let redis: Redis;
let queues: HubQueues;

beforeAll(() => {
  redis = connectRedis(REDIS_URL);
  queues = createQueues({ connection: redis, prefix: prefixes.make('waweb-sends-queues') });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await dropQueues(queues);
  await prefixes.sweep(redis);
  await redis.quit().catch(() => redis.disconnect());
});

/** A gateway whose sends wait while `hold` is set, as a slow browser does. */
class SlowGateway extends FakeWhatsAppWebGateway {
  hold: Promise<void> | undefined;
  override async send(chatId: string, text: string, options: { quotedMessageId?: string } = {}): Promise<{ id: string; timestamp: number }> {
    if (this.hold !== undefined) await this.hold;
    return super.send(chatId, text, options);
  }
}

/** One worker process: its sessions (a linked phone per connection unless told), its route to WhatsApp Web and its notifier. */
function workerProcess(name: string, prefix: string, { linking = 'restore' }: { linking?: 'qr' | 'restore' } = {}) {
  const { gateways, gatewayOf } = gatewaysBy(() => new SlowGateway(linking));
    const sessions = createWhatsAppWebSessions({ dataDir: '/nonexistent-whatsapp-web', createGateway: (id) => gatewayOf(id) });
  const ownership: WhatsAppWebRelayOwnership[] = [];
  const errors: string[] = [];
  const route = routeWhatsAppWeb({
    sessions,
    store,
    redis,
    queuePrefix: prefix,
    leaseTtlMs: LEASE_TTL_MS,
    leaseRenewMs: LEASE_RENEW_MS,
    timeoutMs: TIMEOUT_MS,
    unconfirmedRetryMs: UNCONFIRMED_RETRY_MS,
    onError: (err) => errors.push(err.message),
    onOwnership: (change) => ownership.push(change),
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await route.close();
    await sessions.closeAll();
  };
  closers.push(close);
  const notifier = createNotifier({
    store,
    queues,
    logger: api.services.logger,
    now,
    connections: createChannelConnections({ vault: api.services.vault, connectors: sendersOf(undefined, route.sends), outbound: createOutboundHttp({ allowPrivate: true }), logger: api.services.logger, now }),
  });
  /** Every message this process's gateways sent. */
  const sent = () => [...gateways.values()].flatMap((g) => g.sent);
  return { name, gateways, gatewayOf, sessions, route, notifier, ownership, errors, sent, close };
}
type WorkerProcess = ReturnType<typeof workerProcess>;

/** A tenant with a WhatsApp Web connection and a person reached on WhatsApp. */
async function tenant(slug: string) {
  const t = await api.tenant(`${slug}-${Math.random().toString(36).slice(2, 8)}`);
  const call = (method: string, path: string, body?: unknown) => api.call(method, path, { key: t.key, ...(body === undefined ? {} : { body }) });
  const created = await expectStatus<{ connection?: { id: string }; id?: string }>(call('POST', '/v1/connections', { name: 'WhatsApp', connector: 'whatsapp-web', config: {}, credentials: {} }), 201);
  const connectionId = (created.connection?.id ?? created.id)!;
  const person = await expectStatus<{ person?: { id: string }; id?: string }>(call('POST', '/v1/people', { name: 'Farhan', whatsapp: '+91 98765 43210', channels: ['whatsapp'] }), 201);
  const personId = (person.person?.id ?? person.id)!;
  return {
    id: t.id,
    connectionId,
    target: { tenantId: t.id, connectionId },
    ...probeNotifications({ store, now }, { tenantId: t.id, personId: personId, slug }),
  };
}

/** Two processes over `prefix`, the first holding the lease. */
async function holderAndOther(name: string, options: { holderLinking?: 'qr' | 'restore' } = {}): Promise<{ prefix: string; holder: WorkerProcess; other: WorkerProcess }> {
  const prefix = prefixes.make(name);
  const holder = workerProcess('a', prefix, { linking: options.holderLinking ?? 'restore' });
  await holder.route.ready;
  const other = workerProcess('b', prefix);
  await other.route.ready;
  expect(holder.route.owns()).toBe(true);
  expect(other.route.owns()).toBe(false);
  return { prefix, holder, other };
}

const message = (key: string) => ({ to: '+919876543210', text: 'How is Roof waterproofing going?', idempotencyKey: key });

describe('WhatsApp Web sends with several processes running sessions', () => {
  it('sends a notification delivered on another process through the holder’s session, once, and gives that process its result', async () => {
    const { holder, other } = await holderAndOther('waweb-sends-one');
    const t = await tenant('sends-one');
    // An admin links the phone; the request, made on the other process, opens the holder's session.
    expect(await other.route.links.login(t.target)).toMatchObject({ ok: true, login: { state: 'ready', phone: '+919000000002' } });
    expect(holder.gatewayOf(t.connectionId).starts).toBe(1);
    expect(other.sessions.get(t.connectionId)).toBeUndefined();

    const id = await t.notification();
    expect(await other.notifier.deliver(t.id, id)).toEqual({ kind: 'settled', status: 'sent' });
    const doc = await t.doc(id);
    expect(holder.sent()).toHaveLength(1);
    const [out] = holder.sent();
    expect(out).toMatchObject({ chatId: '919876543210@c.us', text: expect.stringContaining('Roof waterproofing') });
    expect(doc.providerMessageId).toBe(out!.id);
    expect(doc.attempts).toMatchObject([{ n: 1, outcome: 'sent', idempotencyKey: `${id}:1`, providerMessageId: out!.id }]);
    expect(other.gateways.size).toBe(0);

    // The same key again, from either process, is answered with the first send.
    expect(await other.route.sends.send(t.target, message(`${id}:1`))).toEqual({ messageId: out!.id, status: 'queued' });
    expect(await holder.route.sends.send(t.target, message(`${id}:1`))).toEqual({ messageId: out!.id, status: 'queued' });
    expect(holder.sent()).toHaveLength(1);

    // The holder sends its own notifications directly.
    const own = await t.notification();
    expect(await holder.notifier.deliver(t.id, own)).toEqual({ kind: 'settled', status: 'sent' });
    expect(holder.sent()).toHaveLength(2);
    expect(other.gateways.size).toBe(0);
    expect([...holder.errors, ...other.errors]).toEqual([]);
  });

  it('passes the holder’s failures on as the same connector errors', async () => {
    const { holder, other } = await holderAndOther('waweb-sends-errors', { holderLinking: 'qr' });
    const t = await tenant('sends-errors');

    // No session running on the holder for a connection never linked: someone must link it first.
    const neverLinked = await other.route.sends.send(t.target, message('k-0')).catch((err: unknown) => err);
    expect(neverLinked).toBeInstanceOf(AuthExpiredError);
    expect((neverLinked as Error).message).toMatch(/^whatsapp-web: not linked yet: open the link of this connection/);
    // Recorded as linked, its session not running (yet): transient, as for the connector itself.
    await recordWhatsAppWebLink(store, t.target, { state: 'linked', at: now(), phone: '+919000000002' });
    const notRunning = await other.route.sends.send(t.target, message('k-1')).catch((err: unknown) => err);
    expect(notRunning).toBeInstanceOf(TransientVendorError);
    expect(notRunning).not.toBeInstanceOf(UnconfirmedSendError);
    expect((notRunning as Error).message).toBe('whatsapp-web: the session of this connection is not running');

    // Running but showing a QR code: someone must scan, so the notification moves on.
    await other.route.links.login(t.target);
    const unlinked = await other.route.sends.send(t.target, message('k-2')).catch((err: unknown) => err);
    expect(unlinked).toBeInstanceOf(AuthExpiredError);
    const id = await t.notification();
    expect(await other.notifier.deliver(t.id, id)).toEqual({ kind: 'settled', status: 'failed' });
    expect((await t.doc(id)).attempts).toMatchObject([{ outcome: 'failed', error: { code: 'auth_failed', permanent: true } }]);

    // A bad number and another tenant's connection are refusals.
    holder.gatewayOf(t.connectionId).link();
    await expect(other.route.sends.send(t.target, { ...message('k-3'), to: 'not-a-number' })).rejects.toBeInstanceOf(UnrecoverableVendorError);
    const stranger = await tenant('sends-stranger');
    const refused = await other.route.sends.send({ tenantId: stranger.id, connectionId: t.connectionId }, message('k-4')).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(UnrecoverableVendorError);
    expect((refused as Error).message).toBe(`whatsapp-web: ${t.connectionId} is not a WhatsApp Web connection of this tenant`);
    expect(holder.sent()).toEqual([]);
  });

  it('fails a send at once, retryably, when no process holds the lease', async () => {
    const prefix = prefixes.make('waweb-sends-nobody');
    // The lease of a process that died, still running; nobody listens meanwhile.
    await redis.set(whatsAppWebRelayChannels(prefix).owner, 'a-process-that-died', 'PX', 60_000);
    const lone = workerProcess('c', prefix);
    await lone.route.ready;
    expect(lone.route.owns()).toBe(false);
    const t = await tenant('sends-nobody');

    const started = Date.now();
    const err = await lone.route.sends.send(t.target, message('k-1')).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    expect(err).toBeInstanceOf(TransientVendorError);
    expect(err).not.toBeInstanceOf(UnconfirmedSendError);
    expect((err as Error).message).toMatch(/no process drives WhatsApp Web now .*; the message was not sent$/);

    // The notification keeps its place: a failed try, retried later by the tenant's policy.
    const id = await t.notification();
    const run = await lone.notifier.deliver(t.id, id);
    expect(run).toEqual({ kind: 'wait', until: new Date(now().getTime() + 60_000) });
    expect(await t.doc(id)).toMatchObject({ status: 'queued', waitReason: 'retry', attempts: [{ outcome: 'failed', error: { code: 'transient', permanent: false } }] });
    expect(lone.gateways.size).toBe(0);
  });

  it('keeps an unanswered send open and sends it once when a holder answers its retry', async () => {
    const prefix = prefixes.make('waweb-sends-silent');
    const channels = whatsAppWebRelayChannels(prefix);
    // A holder that hears requests and never answers, as one whose browser hangs.
    await redis.set(channels.owner, 'a-hung-process', 'PX', 60_000);
    const silent = redis.duplicate();
    closers.push(() => silent.quit());
    const heard: string[] = [];
    silent.on('message', (_channel: string, text: string) => heard.push(text));
    await silent.subscribe(channels.requests);
    const c = workerProcess('c', prefix);
    await c.route.ready;
    const t = await tenant('sends-silent');
    const id = await t.notification();

    const started = Date.now();
    const run = await c.notifier.deliver(t.id, id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
    expect(run).toEqual({ kind: 'wait', until: new Date(now().getTime() + UNCONFIRMED_RETRY_MS) });
    // No failure recorded: the attempt stays open with its key, so a rerun cannot send twice.
    expect(await t.doc(id)).toMatchObject({ status: 'queued', waitReason: 'retry', attempts: [{ n: 1, outcome: 'sending', idempotencyKey: `${id}:1` }] });
    expect((await t.doc(id)).attempts).toHaveLength(1);
    expect(JSON.parse(heard[0]!)).toMatchObject({ op: 'send', tenantId: t.id, connectionId: t.connectionId, message: { to: '+919876543210', idempotencyKey: `${id}:1` } });

    // The hung process goes; this one takes the lease, is linked, and the rerun sends attempt 1.
    await silent.unsubscribe();
    await redis.del(channels.owner);
    await waitFor(() => c.route.owns(), 2 * LEASE_TTL_MS, 'taking the lease');
    await c.route.links.login(t.target);
    expect(await c.notifier.deliver(t.id, id)).toEqual({ kind: 'settled', status: 'sent' });
    expect(c.sent()).toHaveLength(1);
    expect((await t.doc(id)).attempts).toMatchObject([{ n: 1, outcome: 'sent', idempotencyKey: `${id}:1`, providerMessageId: c.sent()[0]!.id }]);
  });

  it('does not send twice when the holder sent after the asker gave up, even once another process took over', async () => {
    const { prefix, holder, other } = await holderAndOther('waweb-sends-late');
    const t = await tenant('sends-late');
    await other.route.links.login(t.target);
    let release = (): void => undefined;
    holder.gatewayOf(t.connectionId).hold = new Promise<void>((resolve) => (release = resolve));
    const id = await t.notification();

    // The holder's browser is slow: the asker stops waiting; the attempt stays open.
    const run = await other.notifier.deliver(t.id, id);
    expect(run).toEqual({ kind: 'wait', until: new Date(now().getTime() + UNCONFIRMED_RETRY_MS) });
    expect(holder.sent()).toEqual([]);
    // A rerun while the first send is still under way joins it instead of sending again.
    const rerun = other.route.sends.send(t.target, message(`${id}:1`)).catch((err: unknown) => err);
    release();
    await waitFor(() => holder.sent().length === 1, 2000, 'the slow send going out');
    const first = holder.sent()[0]!;
    expect(await rerun).toEqual({ messageId: first.id, status: 'queued' });
    await waitFor(async () => (await redis.get(recentWhatsAppWebSendKey(prefix, t.connectionId, `${id}:1`))) !== null, 2000, 'the send noted');

    // The holder stops; the other takes over with a session of its own, and its rerun finds the send noted.
    await holder.close();
    await waitFor(() => other.route.owns(), 2 * LEASE_TTL_MS, 'the other process taking over');
    expect(await other.route.links.login(t.target)).toMatchObject({ ok: true, login: { state: 'ready' } });
    expect(await other.notifier.deliver(t.id, id)).toEqual({ kind: 'settled', status: 'sent' });
    expect(other.sent()).toEqual([]);
    expect(holder.sent()).toHaveLength(1);
    expect(await t.doc(id)).toMatchObject({ status: 'sent', providerMessageId: first.id, attempts: [{ n: 1, outcome: 'sent', providerMessageId: first.id }] });
  });

  it('hands sending over when the holder stops: the next holder sends, for itself and for the others', async () => {
    const prefix = prefixes.make('waweb-sends-handover');
    const a = workerProcess('a', prefix);
    await a.route.ready;
    const b = workerProcess('b', prefix);
    const c = workerProcess('c', prefix);
    await Promise.all([b.route.ready, c.route.ready]);
    expect(a.route.owns()).toBe(true);
    const t = await tenant('sends-handover');
    await c.route.links.login(t.target);
    const before = await t.notification();
    expect(await c.notifier.deliver(t.id, before)).toEqual({ kind: 'settled', status: 'sent' });
    expect(a.sent()).toHaveLength(1);

    const stopping = Date.now();
    await a.close();
    const next = await waitFor(() => [b, c].find((p) => p.route.owns()), 2 * LEASE_TTL_MS, 'another process taking over');
    expect(Date.now() - stopping).toBeLessThan(LEASE_TTL_MS);
    const rest = next === b ? c : b;
    expect(rest.route.owns()).toBe(false);

    // An admin links the phone again, from whichever process: the new holder's session opens.
    expect(await rest.route.links.login(t.target)).toMatchObject({ ok: true, login: { state: 'ready' } });
    expect(next.gatewayOf(t.connectionId).starts).toBe(1);
    expect(rest.gateways.size).toBe(0);

    const viaRest = await t.notification();
    expect(await rest.notifier.deliver(t.id, viaRest)).toEqual({ kind: 'settled', status: 'sent' });
    const viaNext = await t.notification();
    expect(await next.notifier.deliver(t.id, viaNext)).toEqual({ kind: 'settled', status: 'sent' });
    expect(next.sent()).toHaveLength(2);
    expect((await t.doc(viaRest)).providerMessageId).toBe(next.sent()[0]!.id);
    expect(a.sent()).toHaveLength(1);
    expect(rest.gateways.size).toBe(0);
  });

  it('checks sends on both ends: a message too long to pass is refused unsent, a reply of the wrong kind leaves the send unconfirmed', async () => {
    const prefix = prefixes.make('waweb-sends-garbled');
    const channels = whatsAppWebRelayChannels(prefix);
    await redis.set(channels.owner, 'a-lying-process', 'PX', 60_000);
    // A process that answers a send with a link.
    const liar = redis.duplicate();
    closers.push(() => liar.quit());
    const heard: string[] = [];
    liar.on('message', (_channel: string, text: string) => {
      heard.push(text);
      const { id, replyTo } = JSON.parse(text) as { id: string; replyTo: string };
      void redis.publish(channels.reply(replyTo), JSON.stringify({ v: 1, id, ok: true, login: { state: 'ready', since: '2026-03-03T05:30:00.000Z' } }));
    });
    await liar.subscribe(channels.requests);
    const c = workerProcess('c', prefix);
    await c.route.ready;
    const t = await tenant('sends-garbled');

    await expect(c.route.sends.send(t.target, { ...message('k-1'), text: 'x'.repeat(70_000) })).rejects.toBeInstanceOf(UnrecoverableVendorError);
    await expect(c.route.sends.send(t.target, { ...message(''), idempotencyKey: '' })).rejects.toBeInstanceOf(UnrecoverableVendorError);
    expect(heard).toEqual([]);

    const err = await c.route.sends.send(t.target, message('k-2')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnconfirmedSendError);
    expect(err).toMatchObject({ retryAfterMs: UNCONFIRMED_RETRY_MS });
    expect(heard).toHaveLength(1);
    expect(c.errors).toEqual(['whatsapp-web relay: a reply that does not parse was dropped']);
  });

  it('closes its sessions when it loses the lease, so two sessions never drive one account', async () => {
    const { prefix, holder, other } = await holderAndOther('waweb-sends-lost');
    const t = await tenant('sends-lost');
    await holder.route.links.login(t.target);
    expect(holder.sessions.get(t.connectionId)).toBeDefined();

    // Another process holds the lease now, as after a long pause of this one.
    await redis.set(whatsAppWebRelayChannels(prefix).owner, 'another-process', 'PX', 60_000);
    await waitFor(() => holder.ownership.some((c) => !c.owner), 2 * LEASE_TTL_MS, 'losing the lease');
    expect(holder.ownership).toEqual([{ owner: true }, { owner: false, reason: 'lost' }]);
    await waitFor(() => holder.sessions.get(t.connectionId) === undefined, 1000, 'the sessions closed');
    expect(holder.gatewayOf(t.connectionId).state).toBe('stopped');

    // Neither process sends now: nobody answers for the lease's holder.
    await expect(holder.route.sends.send(t.target, message('k-1'))).rejects.toBeInstanceOf(TransientVendorError);
    await expect(other.route.sends.send(t.target, message('k-2'))).rejects.toBeInstanceOf(TransientVendorError);
    expect([...holder.sent(), ...other.sent()]).toEqual([]);
  });
});
