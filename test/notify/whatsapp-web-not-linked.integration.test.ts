import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundHttp } from '../../connectors/index.ts';
import { createWhatsAppWebSessions, type WhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import { createNedbStore, createStore, type Collection, type Store, type TenantStore } from '../../core/store/index.ts';
import { connectRedis, createQueues, type HubQueues } from '../../queues/index.ts';
import {
  createChannelConnections,
  createNotifier,
  localWhatsAppWebSends,
  recordWhatsAppWebLink,
  recordWhatsAppWebLinks,
  routeWhatsAppWeb,
  sendersOf,
  type Notifier,
} from '../../queues/notify/index.ts';
import { FakeWhatsAppWebGateway, gatewaysBy } from '../channels/fake-whatsapp-web-gateway.ts';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp/index.ts';
import { expectStatus, waitFor } from '../helpers/expect-and-wait.ts';
import { dropQueues, prefixTracker, REDIS_URL } from '../helpers/test-queues.ts';
import { testApp } from '../helpers/test-services.ts';
import { probeNotifications } from './notify-fixture.ts';

// A WhatsApp Web connection that cannot send until someone links it again fails its sends at once,
// so notifications move on to the next channel without waiting out the retries; one that is linked
// and whose session is still opening fails retryably and goes out on WhatsApp once it is ready.
// The same holds for one process running the sessions and for a worker whose sends go to the
// process holding the relay lease.
// 11:00 in Kolkata, outside the default quiet hours.
const START = new Date('2026-03-03T05:30:00Z');
const clock = { at: START };
const now = () => new Date(clock.at.getTime());
const RETRY_DELAY_MS = 60_000;

const store = createStore(createNedbStore({ dir: '', inMemory: true }));
const api = testApp({ store });
const prefixes = prefixTracker();
const closers: (() => Promise<unknown>)[] = [];
let redis: Redis;
let queues: HubQueues;
let smtp: SmtpFake;

beforeAll(async () => {
  redis = connectRedis(REDIS_URL);
  queues = createQueues({ connection: redis, prefix: prefixes.make('waweb-not-linked-queues') });
  smtp = await startSmtpFake();
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await dropQueues(queues);
  await prefixes.sweep(redis);
  await redis.quit().catch(() => redis.disconnect());
  await smtp.close();
});

/** A gateway whose browser takes until `open()` to start, as one resuming a saved login does. */
class SlowStartGateway extends FakeWhatsAppWebGateway {
  #open: () => void = () => undefined;
  readonly #opened = new Promise<void>((resolve) => (this.#open = resolve));
  open(): void {
    this.#open();
  }
  override async start(): Promise<void> {
    await this.#opened;
    return super.start();
  }
}

type Kind = 'one process' | 'through the lease holder';

/** Where sends start, and the sessions of the process that drives WhatsApp Web. */
async function processes(kind: Kind): Promise<{ notifier: Notifier; driving: WhatsAppWebSessions; gatewayOf: (connectionId: string) => SlowStartGateway }> {
  const { gatewayOf } = gatewaysBy(() => new SlowStartGateway('restore'));
    const { logger, vault } = api.services;
  const notifierOver = (whatsappWeb: Parameters<typeof sendersOf>[1]) =>
    createNotifier({ store, queues, logger, now, connections: createChannelConnections({ vault, connectors: sendersOf(undefined, whatsappWeb), outbound: createOutboundHttp({ allowPrivate: true }), logger, now }) });

  if (kind === 'one process') {
    // As `hub start` wires them: the sessions record links, and sends read what is recorded.
    const sessions = recordWhatsAppWebLinks({ sessions: createWhatsAppWebSessions({ dataDir: '/nonexistent-whatsapp-web', createGateway: (id) => gatewayOf(id) }), store, logger, now });
    closers.push(() => sessions.closeAll());
    return { notifier: notifierOver(localWhatsAppWebSends({ sessions, store })), driving: sessions, gatewayOf };
  }

  const prefix = prefixes.make('waweb-not-linked');
  const route = (sessions: WhatsAppWebSessions) =>
    routeWhatsAppWeb({ sessions, store, redis, queuePrefix: prefix, leaseTtlMs: 800, leaseRenewMs: 150, timeoutMs: 2000, restore: false });
  const holderSessions = createWhatsAppWebSessions({ dataDir: '/nonexistent-whatsapp-web', createGateway: (id) => gatewayOf(id) });
  const holder = route(holderSessions);
  await holder.ready;
  const otherSessions = createWhatsAppWebSessions({ dataDir: '/nonexistent-whatsapp-web', createGateway: () => new SlowStartGateway('restore') });
  const other = route(otherSessions);
  await other.ready;
  closers.push(async () => {
    await other.close();
    await holder.close();
    await holderSessions.closeAll();
    await otherSessions.closeAll();
  });
  expect(holder.owns()).toBe(true);
  expect(other.owns()).toBe(false);
  return { notifier: notifierOver(other.sends), driving: holderSessions, gatewayOf };
}

/** A tenant reaching a person on WhatsApp Web, then email, retrying each channel three times a minute apart. */
async function tenant(slug: string) {
  const t = await api.tenant(`${slug}-${Math.random().toString(36).slice(2, 8)}`);
  const call = (method: string, path: string, body?: unknown) => api.call(method, path, { key: t.key, ...(body === undefined ? {} : { body }) });
  await expectStatus(call('PUT', '/v1/notification-settings', { retry: { maxAttemptsPerChannel: 3, initialDelay: 'PT1M' } }), 200);
  const whatsapp = await expectStatus<{ id: string }>(call('POST', '/v1/connections', { name: 'WhatsApp', connector: 'whatsapp-web', config: {}, credentials: {} }), 201);
  await expectStatus(call('POST', '/v1/connections', { name: 'Mail', connector: 'email', config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme <projects@acme.in>' }, credentials: {} }), 201);
  const email = `${slug}-${Math.random().toString(36).slice(2, 8)}@example.in`;
  const person = await expectStatus<{ id: string }>(call('POST', '/v1/people', { name: 'Farhan', whatsapp: '+91 98765 43210', email, channels: ['whatsapp', 'email'] }), 201);
  return {
    id: t.id,
    connectionId: whatsapp.id,
    target: { tenantId: t.id, connectionId: whatsapp.id },
    mails: () => smtp.messages.filter((m) => m.rcptTo.includes(email)),
    ...probeNotifications({ store, now }, { tenantId: t.id, personId: person.id, slug }),
  };
}

describe.each<Kind>(['one process', 'through the lease holder'])('WhatsApp Web sends of connections that cannot send yet (%s)', (kind) => {
  it('falls back to the next channel at once, without retries, for a connection recorded as needing a new link', async () => {
    clock.at = START;
    const { notifier, gatewayOf } = await processes(kind);
    const t = await tenant('relink');
    await recordWhatsAppWebLink(store, t.target, { state: 'needs_relink', at: now(), reason: 'the phone logged this device out (LOGOUT)' });

    const id = await t.notification();
    expect(await notifier.deliver(t.id, id)).toEqual({ kind: 'settled', status: 'sent' });
    const doc = await t.doc(id);
    expect(doc.attempts.map((a) => [a.channel, a.outcome])).toEqual([
      ['whatsapp', 'failed'],
      ['email', 'sent'],
    ]);
    expect(doc.attempts[0]!.error).toMatchObject({ code: 'auth_failed', permanent: true, message: expect.stringMatching(/^whatsapp-web: not linked: the phone logged this device out \(LOGOUT\); scan the QR code/) });
    expect(doc.channel).toBe('email');
    await waitFor(() => t.mails().length === 1, 5000, 'the mail sent');
    expect(gatewayOf(t.connectionId).starts).toBe(0);
  });

  it('falls back at once for a connection never linked, whose session is not running', async () => {
    clock.at = START;
    const { notifier } = await processes(kind);
    const t = await tenant('never');

    const id = await t.notification();
    expect(await notifier.deliver(t.id, id)).toEqual({ kind: 'settled', status: 'sent' });
    expect((await t.doc(id)).attempts).toMatchObject([
      { channel: 'whatsapp', outcome: 'failed', error: { code: 'auth_failed', permanent: true, message: expect.stringMatching(/^whatsapp-web: not linked yet/) } },
      { channel: 'email', outcome: 'sent' },
    ]);
  });

  it('retries a linked connection whose session is still opening, and sends on WhatsApp once it is ready', async () => {
    clock.at = START;
    const { notifier, driving, gatewayOf } = await processes(kind);
    const t = await tenant('opening');
    await recordWhatsAppWebLink(store, t.target, { state: 'linked', at: now(), phone: '+919000000002' });
    // The process driving WhatsApp Web reopens the session from its saved login; the browser is slow.
    const opening = driving.open(t.connectionId);
    expect(driving.get(t.connectionId)).toBeUndefined();

    const id = await t.notification();
    expect(await notifier.deliver(t.id, id)).toEqual({ kind: 'wait', until: new Date(START.getTime() + RETRY_DELAY_MS) });
    expect(await t.doc(id)).toMatchObject({
      status: 'queued',
      waitReason: 'retry',
      attempts: [{ channel: 'whatsapp', outcome: 'failed', error: { code: 'transient', permanent: false, message: 'whatsapp-web: the session of this connection is not running' } }],
    });

    gatewayOf(t.connectionId).open();
    await opening;
    await waitFor(() => driving.get(t.connectionId)?.login().state === 'ready', 5000, 'the session ready');
    clock.at = new Date(START.getTime() + RETRY_DELAY_MS + 1000);
    expect(await notifier.deliver(t.id, id)).toEqual({ kind: 'settled', status: 'sent' });
    const doc = await t.doc(id);
    expect(doc.attempts.map((a) => [a.channel, a.outcome])).toEqual([
      ['whatsapp', 'failed'],
      ['whatsapp', 'sent'],
    ]);
    expect(gatewayOf(t.connectionId).sent).toHaveLength(1);
    expect(t.mails()).toHaveLength(0);
  });
});
