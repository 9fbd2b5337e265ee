import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, connectRedis, type HubQueues } from '../../queues/index.ts';
import { sweepEnvelopes } from '../../webhooks/index.ts';
import { signStandardWebhook } from '../../webhooks/verifiers/index.ts';
import { dropPrefix, hookFixture, queuePrefix, randomSecret, waitFor } from './hook-fixture.ts';

interface EventItem {
  id: string;
  connectionId: string;
  status: string;
  size: number;
  headers: { name: string; value: string }[];
  body?: string;
  replayCount: number;
  receivedAt: string;
}
interface EventPage {
  items: EventItem[];
  nextCursor: string | null;
}

const fx = hookFixture('webhook-events');
const secret = randomSecret('whsec_');
let alpha = { id: '', key: '' };
let beta = { id: '', key: '' };
let connA = '';
let connB = '';
let connBeta = '';
let seq = 0;

async function receive(connectionId: string, payload: unknown = { n: seq }): Promise<string> {
  seq += 1;
  const body = JSON.stringify(payload);
  const res = await fx.post(connectionId, body, signStandardWebhook({ secret, id: `msg_ev_${seq}`, timestamp: new Date(), body }));
  expect(res.status).toBe(202);
  return ((await res.json()) as { eventId: string }).eventId;
}

const get = async <T>(path: string, key = alpha.key) => {
  const res = await fx.call('GET', path, { key });
  return { status: res.status, body: (await res.json()) as T };
};

beforeAll(async () => {
  alpha = await fx.tenant('alpha');
  beta = await fx.tenant('beta');
  connA = await fx.connection(alpha.id, { config: { scheme: 'standard-webhooks' }, secrets: [{ value: secret }] });
  connB = await fx.connection(alpha.id, { config: { scheme: 'standard-webhooks' }, secrets: [{ value: secret }] });
  connBeta = await fx.connection(beta.id, { config: { scheme: 'standard-webhooks' }, secrets: [{ value: secret }] });
  for (let i = 0; i < 5; i += 1) await receive(connA, { invoice: `INV-${i}` });
  for (let i = 0; i < 2; i += 1) await receive(connB, { invoice: `B-${i}` });
  await receive(connBeta, { secret: 'beta-only' });
});
afterAll(async () => {
  await fx.close();
});

describe('GET /v1/webhook-events', () => {
  it("lists the tenant's events newest first, with headers and size but no body", async () => {
    const { status, body } = await get<EventPage>('/v1/webhook-events');
    expect(status).toBe(200);
    expect(body.items).toHaveLength(7);
    const ids = body.items.map((i) => i.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    for (const item of body.items) {
      expect(item.body).toBeUndefined();
      expect(item.size).toBeGreaterThan(0);
      expect(item.headers.map((h) => h.name)).toContain('webhook-id');
      expect(item.headers.map((h) => h.name)).not.toContain('webhook-signature');
    }
  });

  it('filters by connection, status and time, and pages with a cursor', async () => {
    const byConn = await get<EventPage>(`/v1/webhook-events?connectionId=${connB}`);
    expect(byConn.body.items.map((i) => i.connectionId)).toEqual([connB, connB]);
    expect((await get<EventPage>('/v1/webhook-events?status=processed')).body.items).toHaveLength(0);
    expect((await get<EventPage>('/v1/webhook-events?status=received')).body.items).toHaveLength(7);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await get<EventPage>(`/v1/webhook-events?since=${encodeURIComponent(future)}`)).body.items).toHaveLength(0);
    expect((await get<EventPage>(`/v1/webhook-events?until=${encodeURIComponent(future)}`)).body.items).toHaveLength(7);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: EventPage } = await get<EventPage>(`/v1/webhook-events?connectionId=${connA}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it('refuses bad filters with 400', async () => {
    expect((await get('/v1/webhook-events?status=lost')).status).toBe(400);
    expect((await get('/v1/webhook-events?since=yesterday')).status).toBe(400);
    expect((await get('/v1/webhook-events?limit=0')).status).toBe(400);
    expect((await get('/v1/webhook-events?cursor=garbage')).status).toBe(400);
  });

  it("never shows another tenant's events", async () => {
    const alphaIds = (await get<EventPage>('/v1/webhook-events')).body.items.map((i) => i.id);
    const betaList = await get<EventPage>('/v1/webhook-events', beta.key);
    expect(betaList.body.items.map((i) => i.connectionId)).toEqual([connBeta]);
    expect(betaList.body.items.some((i) => alphaIds.includes(i.id))).toBe(false);
    expect((await get(`/v1/webhook-events/${alphaIds[0]}`, beta.key)).status).toBe(404);
    expect((await fx.call('POST', `/v1/webhook-events/${alphaIds[0]}/replay`, { key: beta.key })).status).toBe(404);
    expect((await get<EventPage>(`/v1/webhook-events?connectionId=${connA}`, beta.key)).body.items).toHaveLength(0);
  });
});

describe('GET /v1/webhook-events/{id}', () => {
  it('returns the raw body, base64', async () => {
    const id = await receive(connA, { read: 'me', amount: 150000 });
    const { status, body } = await get<EventItem & { bodyEncoding: string }>(`/v1/webhook-events/${id}`);
    expect(status).toBe(200);
    expect(body.bodyEncoding).toBe('base64');
    expect(Buffer.from(body.body!, 'base64').toString('utf8')).toBe('{"read":"me","amount":150000}');
    expect((await get('/v1/webhook-events/whe_nope')).status).toBe(404);
  });
});

describe('roles', () => {
  it('lets admin, manager and integration keys in, and refuses owner and viewer', async () => {
    for (const role of ['manager', 'integration', 'owner', 'viewer']) {
      const created = await fx.call('POST', '/v1/api-keys', { key: alpha.key, body: { name: role, role } });
      const { apiKey } = (await created.json()) as { apiKey: string };
      const expected = role === 'owner' || role === 'viewer' ? 403 : 200;
      expect((await get('/v1/webhook-events', apiKey)).status, role).toBe(expected);
      const replay = await fx.call('POST', '/v1/webhook-events/replay', { key: apiKey, body: { connectionId: 'con_none' } });
      expect(replay.status, role).toBe(expected === 200 ? 202 : 403);
    }
    expect((await fx.call('GET', '/v1/webhook-events')).status).toBe(401);
  });
});

describe('replay', () => {
  it('sends a settled event through processing again under a new job id', async () => {
    const worker = fx.worker();
    const id = await receive(connA, { replay: 'one' });
    await waitFor(async () => (await fx.envelope(alpha.id, id)).status === 'ignored');

    const res = await fx.call('POST', `/v1/webhook-events/${id}/replay`, { key: alpha.key });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ eventId: id, jobId: `${id}-r1`, replayCount: 1, status: 'received' });
    expect(await fx.jobIds()).toContain(`${id}-r1`);
    const after = await waitFor(async () => {
      const e = await fx.envelope(alpha.id, id);
      return e.status === 'ignored' && e;
    });
    expect(after).toMatchObject({ replayCount: 1, attempts: 2, jobId: `${id}-r1` });

    const twice = await fx.call('POST', `/v1/webhook-events/${id}/replay`, { key: alpha.key });
    expect(((await twice.json()) as { jobId: string }).jobId).toBe(`${id}-r2`);
    await waitFor(async () => (await fx.envelope(alpha.id, id)).attempts === 3);
    await worker.close();
    expect((await fx.call('POST', '/v1/webhook-events/whe_nope/replay', { key: alpha.key })).status).toBe(404);
  });

  it('replays by filter and reports counts', async () => {
    const before = await fx.jobIds();
    const res = await fx.call('POST', '/v1/webhook-events/replay', { key: alpha.key, body: { connectionId: connB, status: 'ignored' } });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ matched: 2, replayed: 2, queued: 2, notQueued: 0, truncated: false });
    const added = (await fx.jobIds()).filter((id) => !before.includes(id));
    expect(added).toHaveLength(2);
    for (const id of added) expect(id).toMatch(/-r1$/);

    const limited = await fx.call('POST', '/v1/webhook-events/replay', { key: alpha.key, body: { connectionId: connA, limit: 2 } });
    expect(await limited.json()).toMatchObject({ replayed: 2, truncated: true });
    const none = await fx.call('POST', '/v1/webhook-events/replay', { key: alpha.key, body: { status: 'failed' } });
    expect(await none.json()).toEqual({ matched: 0, replayed: 0, queued: 0, notQueued: 0, truncated: false });
    expect((await fx.call('POST', '/v1/webhook-events/replay', { key: alpha.key, body: { status: 'gone' } })).status).toBe(400);
    expect((await fx.call('POST', '/v1/webhook-events/replay', { key: alpha.key, body: { tenantId: beta.id } })).status).toBe(400);
    // Beta's event was never touched by alpha's bulk replays.
    const [betaEvent] = await fx.envelopes(beta.id).find({});
    expect(betaEvent!.replayCount).toBe(0);
  });

  it('answers 503 when the queue is down, and the sweeper queues the replay later', async () => {
    // A connection that has dropped: ioredis refuses commands at once ("Connection is closed.").
    const dropped = connectRedis('redis://127.0.0.1:6379');
    dropped.on('error', () => undefined);
    const prefix = queuePrefix('webhook-events-dead');
    const dead: HubQueues = createQueues({ connection: dropped, prefix });
    for (const q of dead.all()) q.on('error', () => undefined);
    await dead.get('webhooks').waitUntilReady();
    dropped.disconnect();
    const id = await receive(connA, { replay: 'outage' });
    const working = fx.services.queues;
    fx.services.queues = dead;
    try {
      const res = await fx.call('POST', `/v1/webhook-events/${id}/replay`, { key: alpha.key });
      expect(res.status).toBe(503);
      const e = await fx.envelope(alpha.id, id);
      expect(e).toMatchObject({ status: 'received', jobId: `${id}-r1`, replayCount: 1 });
      expect(await fx.jobIds()).not.toContain(`${id}-r1`);
    } finally {
      fx.services.queues = working;
      await dead.close().catch(() => undefined);
      await dropPrefix(prefix);
    }
    const swept = await sweepEnvelopes({ store: fx.services.store, queues: fx.queues!, now: () => new Date(Date.now() + 120_000) });
    expect(swept.enqueued).toBeGreaterThanOrEqual(1);
    expect(await fx.jobIds()).toContain(`${id}-r1`);
  });
});
