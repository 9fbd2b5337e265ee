import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import { createNedbStore, createStore } from '../../core/store/index.ts';
import { connectRedis } from '../../queues/index.ts';
import { createWhatsAppWebRelay, localWhatsAppWebLinks, serveWhatsAppWebLinks, whatsAppWebRelayChannels } from '../../queues/notify/index.ts';
import { FakeWhatsAppWebGateway, gatewaysBy } from '../channels/fake-whatsapp-web-gateway.ts';
import { expectStatus, waitFor } from '../helpers/expect-and-wait.ts';
import { queuePrefix, REDIS_URL, sweepPrefix } from '../helpers/test-queues.ts';
import { testApp } from '../helpers/test-services.ts';

// Two processes of one hub over one store and one Redis: the worker runs the WhatsApp Web
// sessions (over in-memory gateways), the API runs none and reaches them through the relay.
const prefix = queuePrefix('waweb-relay');
const otherPrefixes = [queuePrefix('waweb-relay-none'), queuePrefix('waweb-relay-silent'), queuePrefix('waweb-relay-garbled')];
const store = createStore(createNedbStore({ dir: '', inMemory: true }));
const { gateways, gatewayOf } = gatewaysBy(() => new FakeWhatsAppWebGateway('qr'));
const sessions = createWhatsAppWebSessions({ dataDir: '/nonexistent-whatsapp-web', createGateway: (id) => gatewayOf(id) });
const serverErrors: string[] = [];
const relayErrors: string[] = [];
const closers: (() => Promise<unknown>)[] = [];

let redis: Redis;
let worker: ReturnType<typeof testApp>;
let api: ReturnType<typeof testApp>;
let relay: ReturnType<typeof createWhatsAppWebRelay>;

beforeAll(async () => {
  redis = connectRedis(REDIS_URL);
  worker = testApp({ store, whatsappWeb: sessions });
  const server = serveWhatsAppWebLinks({
    links: localWhatsAppWebLinks({ sessions, store }),
    publisher: redis,
    subscriber: redis.duplicate(),
    queuePrefix: prefix,
    onError: (err) => serverErrors.push(err.message),
  });
  closers.push(() => server.close());
  relay = createWhatsAppWebRelay({ publisher: redis, subscriber: redis.duplicate(), queuePrefix: prefix, timeoutMs: 3000, onError: (err) => relayErrors.push(err.message) });
  closers.push(() => relay.close());
  api = testApp({ store, vault: worker.services.vault, whatsappWebLinks: relay });
  await Promise.all([server.ready, relay.ready]);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await sessions.closeAll();
  for (const p of [prefix, ...otherPrefixes]) await sweepPrefix(redis, p);
  await redis.quit().catch(() => redis.disconnect());
});

/** A tenant of the shared store, calling either process with its admin key. */
async function tenant(slug: string) {
  const t = await api.tenant(`${slug}-${Math.random().toString(36).slice(2, 8)}`);
  const on = (app: ReturnType<typeof testApp>) => (method: string, path: string, body?: unknown) => app.call(method, path, { key: t.key, ...(body === undefined ? {} : { body }) });
  const connection = async (body: Record<string, unknown>): Promise<string> => {
    const created = await expectStatus<{ connection?: { id: string }; id?: string }>(on(api)('POST', '/v1/connections', { name: `test ${String(body['connector'])}`, ...body }), 201);
    return (created.connection?.id ?? created.id)!;
  };
  return { ...t, api: on(api), worker: on(worker), connection };
}

/** A problem body without what differs per request. */
async function problemOf(res: Response | Promise<Response>, status: number): Promise<Record<string, unknown>> {
  const r = await res;
  expect(r.headers.get('content-type')).toContain('application/problem+json');
  const { requestId, instance, ...rest } = await expectStatus<Record<string, unknown>>(r, status);
  expect(typeof requestId).toBe('string');
  void instance;
  return rest;
}

describe('WhatsApp Web login through an API process that runs no sessions', () => {
  it('shows the QR code of the session the worker runs, exactly as the worker shows it', async () => {
    const t = await tenant('relay-qr');
    const conn = await t.connection({ connector: 'whatsapp-web', config: { deviceName: 'Acme Hub' }, credentials: {} });

    const viaApi = await expectStatus<Record<string, unknown>>(t.api('GET', `/v1/connections/${conn}/whatsapp-web/login`), 200);
    expect(viaApi).toMatchObject({ state: 'qr', qr: '2@fakeQrPayload,one' });
    expect(gatewayOf(conn).starts).toBe(1);
    expect(sessions.get(conn)).toBeDefined();

    const viaWorker = await expectStatus<Record<string, unknown>>(t.worker('GET', `/v1/connections/${conn}/whatsapp-web/login`), 200);
    expect(viaApi).toEqual(viaWorker);

    gatewayOf(conn).showQr('2@fakeQrPayload,two');
    expect(await expectStatus(t.api('GET', `/v1/connections/${conn}/whatsapp-web/login`), 200)).toMatchObject({ state: 'qr', qr: '2@fakeQrPayload,two' });
    expect(gatewayOf(conn).starts).toBe(1); // the running session is reused
  });

  it('gives a pairing code from the session side and passes its 422 and 409 through unchanged', async () => {
    const t = await tenant('relay-pair');
    const conn = await t.connection({ connector: 'whatsapp-web', config: {}, credentials: {} });
    const path = `/v1/connections/${conn}/whatsapp-web/pairing-code`;

    const paired = await expectStatus(t.api('POST', path, { phone: '+91 90000 00002' }), 200);
    expect(paired).toMatchObject({ state: 'qr', pairingCode: 'K7QX-9M2P', qr: '2@fakeQrPayload,one' });
    expect(gatewayOf(conn).pairingRequests).toEqual(['919000000002']);

    const badViaApi = await problemOf(t.api('POST', path, { phone: 'not-a-phone' }), 422);
    expect(badViaApi).toMatchObject({ code: 'unprocessable', errors: [{ path: 'body.phone', message: 'not a phone number' }] });
    expect(badViaApi).toEqual(await problemOf(t.worker('POST', path, { phone: 'not-a-phone' }), 422));
    expect(gatewayOf(conn).pairingRequests).toHaveLength(1);

    gatewayOf(conn).link('919000000002');
    const linkedViaApi = await problemOf(t.api('POST', path, { phone: '+91 90000 00002' }), 409);
    expect(linkedViaApi).toMatchObject({ code: 'conflict', detail: expect.stringContaining('only while linking (the link is ready)') });
    expect(linkedViaApi).toEqual(await problemOf(t.worker('POST', path, { phone: '+91 90000 00002' }), 409));

    expect(await expectStatus(t.api('GET', `/v1/connections/${conn}/whatsapp-web/login`), 200)).toMatchObject({ state: 'ready', phone: '+919000000002' });
  });

  it('keeps tenants apart: each sees its own link, and the session side refuses another tenant’s connection', async () => {
    const a = await tenant('relay-a');
    const b = await tenant('relay-b');
    const connA = await a.connection({ connector: 'whatsapp-web', config: {}, credentials: {} });
    const connB = await b.connection({ connector: 'whatsapp-web', config: {}, credentials: {} });
    await expectStatus(b.api('GET', `/v1/connections/${connB}/whatsapp-web/login`), 200);
    gatewayOf(connB).showQr('2@fakeQrPayload,tenant-b');

    expect(await expectStatus(a.api('GET', `/v1/connections/${connA}/whatsapp-web/login`), 200)).toMatchObject({ qr: '2@fakeQrPayload,one' });
    expect(await expectStatus(b.api('GET', `/v1/connections/${connB}/whatsapp-web/login`), 200)).toMatchObject({ qr: '2@fakeQrPayload,tenant-b' });
    expect((await problemOf(b.api('GET', `/v1/connections/${connA}/whatsapp-web/login`), 404)).code).toBe('not_found');

    // A request on the channel naming tenant B and A's connection is checked where the sessions run.
    expect(await relay.login({ tenantId: b.id, connectionId: connA })).toEqual({ ok: false, problem: { code: 'not_found', detail: 'No such connection' } });
    expect(await relay.requestPairingCode({ tenantId: b.id, connectionId: connA, phone: '+91 90000 00009' })).toMatchObject({ ok: false, problem: { code: 'not_found' } });
    expect(gatewayOf(connA).pairingRequests).toEqual([]);

    const mail = await a.connection({ connector: 'email', config: { host: '127.0.0.1', port: 2525, secure: false, from: 'a@acme.in' }, credentials: {} });
    expect(await relay.login({ tenantId: a.id, connectionId: mail })).toEqual({
      ok: false,
      problem: { code: 'conflict', detail: `Connection ${mail} is a email connection; only whatsapp-web connections link by QR code` },
    });
    expect(gateways.has(mail)).toBe(false);
  });

  it('answers 503 at once when no process runs WhatsApp Web sessions', async () => {
    const lonely = createWhatsAppWebRelay({ publisher: redis, subscriber: redis.duplicate(), queuePrefix: otherPrefixes[0]!, timeoutMs: 10_000 });
    closers.push(() => lonely.close());
    const alone = testApp({ store, whatsappWebLinks: lonely });
    const t = await tenant('relay-none');
    const conn = await t.connection({ connector: 'whatsapp-web', config: {}, credentials: {} });

    const started = Date.now();
    const res = await alone.call('GET', `/v1/connections/${conn}/whatsapp-web/login`, { key: t.key });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await problemOf(res, 503)).toMatchObject({ code: 'service_unavailable', detail: expect.stringMatching(/^No process runs WhatsApp Web sessions; start hub worker/) });
    expect(gateways.has(conn)).toBe(false);

    // The API's own checks still come first: an unknown connection is a 404, not a 503.
    expect((await problemOf(alone.call('GET', '/v1/connections/con_missing/whatsapp-web/login', { key: t.key }), 404)).code).toBe('not_found');
  });

  it('answers 503 when the process listening does not answer in time, and sends it no credentials', async () => {
    const channels = whatsAppWebRelayChannels(otherPrefixes[1]!);
    const silent = redis.duplicate();
    closers.push(() => silent.quit());
    const heard: string[] = [];
    silent.on('message', (_channel: string, message: string) => heard.push(message));
    await silent.subscribe(channels.requests);
    const slow = createWhatsAppWebRelay({ publisher: redis, subscriber: redis.duplicate(), queuePrefix: otherPrefixes[1]!, timeoutMs: 300 });
    closers.push(() => slow.close());
    const waiting = testApp({ store, whatsappWebLinks: slow });
    const t = await tenant('relay-silent');
    const conn = await t.connection({ connector: 'whatsapp-web', config: {}, credentials: {} });

    const res = await waiting.call('POST', `/v1/connections/${conn}/whatsapp-web/pairing-code`, { key: t.key, body: { phone: '+91 90000 00002' } });
    expect(await problemOf(res, 503)).toMatchObject({ detail: 'No process running WhatsApp Web sessions answered within 0.3 s; check that hub worker (or hub start) is running' });

    const request = JSON.parse(await waitFor(() => heard[0], 2000, 'request heard')) as Record<string, unknown>;
    expect(Object.keys(request).sort()).toEqual(['connectionId', 'id', 'op', 'phone', 'replyTo', 'tenantId', 'v']);
    expect(request).toMatchObject({ v: 1, op: 'pairing', tenantId: t.id, connectionId: conn, phone: '+91 90000 00002' });
    expect(heard[0]).not.toContain(t.key);
  });

  it('drops messages that do not validate, on both ends', async () => {
    // The session side ignores a garbled request and goes on answering good ones.
    const requests = whatsAppWebRelayChannels(prefix).requests;
    await redis.publish(requests, '{"v":1,"op":"login"}');
    await redis.publish(requests, 'not json');
    const dropped = () => serverErrors.filter((m) => m === 'whatsapp-web relay: a request that does not parse was dropped');
    await waitFor(() => dropped().length >= 2, 2000, 'garbled requests dropped');
    expect(serverErrors).toEqual(dropped());
    const t = await tenant('relay-garbled');
    const conn = await t.connection({ connector: 'whatsapp-web', config: {}, credentials: {} });
    expect(await relay.login({ tenantId: t.id, connectionId: conn })).toMatchObject({ ok: true, login: { state: 'qr' } });

    // The API side does not take a reply whose link is not one it knows.
    const channels = whatsAppWebRelayChannels(otherPrefixes[2]!);
    const liar = redis.duplicate();
    closers.push(() => liar.quit());
    liar.on('message', (_channel: string, message: string) => {
      const { id, replyTo } = JSON.parse(message) as { id: string; replyTo: string };
      void redis.publish(channels.reply(replyTo), JSON.stringify({ v: 1, id, ok: true, login: { state: 'owned', since: 'now', secret: 'x' } }));
    });
    await liar.subscribe(channels.requests);
    const heardErrors: string[] = [];
    const fooled = createWhatsAppWebRelay({ publisher: redis, subscriber: redis.duplicate(), queuePrefix: otherPrefixes[2]!, timeoutMs: 500, onError: (err) => heardErrors.push(err.message) });
    closers.push(() => fooled.close());
    expect(await fooled.login({ tenantId: t.id, connectionId: conn })).toMatchObject({ ok: false, problem: { code: 'service_unavailable' } });
    expect(heardErrors).toEqual(['whatsapp-web relay: a reply that does not parse was dropped']);
  });

  it('answers 503 within its timeout when its own Redis connection cannot subscribe', async () => {
    // Nothing listens on port 1: the subscription waits for ever, as during a Redis outage at start.
    const unreachable = connectRedis('redis://127.0.0.1:1', { retryStrategy: () => 200 });
    unreachable.on('error', () => undefined);
    const stuck = createWhatsAppWebRelay({ publisher: redis, subscriber: unreachable, queuePrefix: prefix, timeoutMs: 300 });
    const started = Date.now();
    expect(await stuck.login({ tenantId: 'ten_x', connectionId: 'con_x' })).toMatchObject({ ok: false, problem: { code: 'service_unavailable' } });
    expect(Date.now() - started).toBeLessThan(2000);
    // Closing does not wait for the connection either.
    const closing = Date.now();
    await stuck.close();
    expect(Date.now() - closing).toBeLessThan(1000);
  });

  it('answers 503 once the relay is closed', async () => {
    const closing = createWhatsAppWebRelay({ publisher: redis, subscriber: redis.duplicate(), queuePrefix: prefix });
    await closing.ready;
    await closing.close();
    expect(await closing.login({ tenantId: 'ten_x', connectionId: 'con_x' })).toEqual({ ok: false, problem: { code: 'service_unavailable', detail: 'This process is shutting down' } });
    const unused = redis.duplicate();
    expect(() => createWhatsAppWebRelay({ publisher: redis, subscriber: unused, queuePrefix: prefix, timeoutMs: 0 })).toThrow(RangeError);
    unused.disconnect();
  });
});
