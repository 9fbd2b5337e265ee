import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../queues/index.ts';
import {
  createWhatsAppWebRelay,
  serveWhatsAppWebLinks,
  whatsAppWebRelayChannels,
  type WhatsAppWebLinks,
  type WhatsAppWebRelayOwnership,
} from '../../queues/notify/index.ts';
import { waitFor } from '../helpers/expect-and-wait.ts';
import { prefixTracker, REDIS_URL } from '../helpers/test-queues.ts';

// Several processes run WhatsApp Web sessions over one Redis (`--scale worker=2`): only the one
// holding the relay's lease answers, so a connection is linked through one browser session.
const LEASE_TTL_MS = 800;
const LEASE_RENEW_MS = 150;
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

/** A process running sessions: links that name it in their QR code and count the calls, and what it heard about the lease. */
function sessionSide(name: string, prefix: string) {
  const calls: string[] = [];
  const ownership: WhatsAppWebRelayOwnership[] = [];
  const errors: string[] = [];
  const links: WhatsAppWebLinks = {
    login: ({ connectionId }) => {
      calls.push(connectionId);
      return Promise.resolve({ ok: true, login: { state: 'qr', qr: `2@fakeQrPayload,${name}`, since: '2025-01-01T00:00:00.000Z' } });
    },
    requestPairingCode: ({ connectionId }) => {
      calls.push(connectionId);
      return Promise.resolve({ ok: true, login: { state: 'qr', qr: `2@fakeQrPayload,${name}`, pairingCode: 'K7QX-9M2P', since: '2025-01-01T00:00:00.000Z' } });
    },
    status: ({ connectionId }) => {
      calls.push(connectionId);
      return Promise.resolve({ ok: true });
    },
  };
  const server = serveWhatsAppWebLinks({
    links,
    publisher: redis,
    subscriber: redis.duplicate(),
    queuePrefix: prefix,
    leaseTtlMs: LEASE_TTL_MS,
    leaseRenewMs: LEASE_RENEW_MS,
    onError: (err) => errors.push(err.message),
    onOwnership: (change) => ownership.push(change),
  });
  closers.push(() => server.close());
  const owns = (): boolean => ownership.at(-1)?.owner === true;
  return { name, calls, ownership, errors, server, owns };
}

function apiSide(prefix: string) {
  const relay = createWhatsAppWebRelay({ publisher: redis, subscriber: redis.duplicate(), queuePrefix: prefix, timeoutMs: 2000 });
  closers.push(() => relay.close());
  return relay;
}

/** Every reply published under `prefix`, whoever asked. */
async function replyCounter(prefix: string): Promise<{ count: () => number }> {
  const listener = redis.duplicate();
  closers.push(() => listener.quit());
  let count = 0;
  listener.on('pmessage', () => (count += 1));
  await listener.psubscribe(whatsAppWebRelayChannels(prefix).reply('*'));
  return { count: () => count };
}

const listeners = async (channel: string): Promise<number> => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WhatsApp Web relay with several processes running sessions', () => {
  it('lets only the lease holder answer: each request gets exactly one reply, always from the same process', async () => {
    const prefix = prefixes.make('waweb-owner-one');
    const replies = await replyCounter(prefix);
    const a = sessionSide('a', prefix);
    const b = sessionSide('b', prefix);
    await Promise.all([a.server.ready, b.server.ready]);
    const relay = apiSide(prefix);
    await relay.ready;

    expect([a.owns(), b.owns()].filter(Boolean)).toHaveLength(1);
    const [owner, other] = a.owns() ? [a, b] : [b, a];
    expect(owner.ownership).toEqual([{ owner: true }]);
    expect(other.ownership).toEqual([]);
    expect(await listeners(whatsAppWebRelayChannels(prefix).requests)).toBe(1);

    for (let i = 0; i < 4; i++) {
      expect(await relay.login({ tenantId: 'ten_1', connectionId: `con_${i}` })).toMatchObject({ ok: true, login: { qr: `2@fakeQrPayload,${owner.name}` } });
    }
    expect(await relay.requestPairingCode({ tenantId: 'ten_1', connectionId: 'con_p', phone: '+91 90000 00002' })).toMatchObject({ ok: true, login: { pairingCode: 'K7QX-9M2P' } });
    await pause(3 * LEASE_RENEW_MS); // a second answer, were there one, would have come by now
    expect(owner.calls).toEqual(['con_0', 'con_1', 'con_2', 'con_3', 'con_p']);
    expect(other.calls).toEqual([]);
    expect(replies.count()).toBe(5);

    // Renewing keeps the same owner well past one lease.
    await pause(2 * LEASE_TTL_MS);
    expect(owner.ownership).toEqual([{ owner: true }]);
    expect(other.ownership).toEqual([]);
    expect(await redis.pttl(whatsAppWebRelayChannels(prefix).owner)).toBeGreaterThan(LEASE_TTL_MS - 2 * LEASE_RENEW_MS);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('hands over when the owner closes: the other process answers within one lease', async () => {
    const prefix = prefixes.make('waweb-owner-close');
    const a = sessionSide('a', prefix);
    await a.server.ready;
    const b = sessionSide('b', prefix);
    await b.server.ready;
    const relay = apiSide(prefix);
    await relay.ready;
    expect(a.owns()).toBe(true);
    expect(b.ownership).toEqual([]);

    const closing = Date.now();
    await a.server.close();
    expect(a.ownership).toEqual([{ owner: true }, { owner: false, reason: 'closed' }]);
    await waitFor(() => b.owns(), LEASE_TTL_MS, 'the other process owning the relay');
    expect(Date.now() - closing).toBeLessThan(LEASE_TTL_MS);

    expect(await relay.login({ tenantId: 'ten_1', connectionId: 'con_1' })).toMatchObject({ ok: true, login: { qr: '2@fakeQrPayload,b' } });
    expect(b.calls).toEqual(['con_1']);
    expect(a.calls).toEqual([]);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('takes over the lease of a process that died once it runs out, and not before', async () => {
    const prefix = prefixes.make('waweb-owner-dead');
    const key = whatsAppWebRelayChannels(prefix).owner;
    // The lease of a process that stopped without giving it up.
    await redis.set(key, 'a-process-that-died', 'PX', LEASE_TTL_MS);
    const relay = apiSide(prefix);
    const c = sessionSide('c', prefix);
    await Promise.all([c.server.ready, relay.ready]);
    expect(c.ownership).toEqual([]);
    expect(await relay.login({ tenantId: 'ten_1', connectionId: 'con_early' })).toMatchObject({
      ok: false,
      problem: { code: 'service_unavailable', detail: expect.stringMatching(/^No process runs WhatsApp Web sessions/) },
    });
    expect(await redis.get(key)).toBe('a-process-that-died');

    await waitFor(() => c.owns(), 2 * LEASE_TTL_MS, 'taking over the lease that ran out');
    expect(await relay.login({ tenantId: 'ten_1', connectionId: 'con_late' })).toMatchObject({ ok: true, login: { qr: '2@fakeQrPayload,c' } });
    expect(c.calls).toEqual(['con_late']);
  });

  it('never renews a lease another holds: it stops answering, and closing leaves that lease alone', async () => {
    const prefix = prefixes.make('waweb-owner-lost');
    const { owner: key, requests } = whatsAppWebRelayChannels(prefix);
    const a = sessionSide('a', prefix);
    await a.server.ready;
    const relay = apiSide(prefix);
    await relay.ready;
    expect(a.owns()).toBe(true);

    // Another holder, as after a long pause of this process; its lease has no expiry to extend.
    await redis.set(key, 'another-process');
    await waitFor(() => !a.owns(), LEASE_TTL_MS, 'giving up the lost lease');
    expect(a.ownership).toEqual([{ owner: true }, { owner: false, reason: 'lost' }]);
    await pause(3 * LEASE_RENEW_MS);
    expect(await redis.get(key)).toBe('another-process');
    expect(await redis.pttl(key)).toBe(-1);
    await waitFor(async () => (await listeners(requests)) === 0, 1000, 'unsubscribed from requests');
    expect(await relay.login({ tenantId: 'ten_1', connectionId: 'con_1' })).toMatchObject({ ok: false, problem: { code: 'service_unavailable' } });
    expect(a.calls).toEqual([]);

    // Once that lease is gone, it takes the relay back.
    await redis.del(key);
    await waitFor(() => a.owns(), LEASE_TTL_MS, 'owning the relay again');
    expect(await relay.login({ tenantId: 'ten_1', connectionId: 'con_2' })).toMatchObject({ ok: true, login: { qr: '2@fakeQrPayload,a' } });

    // Closing gives up only a lease of its own.
    await redis.set(key, 'yet-another-process');
    await a.server.close();
    expect(await redis.get(key)).toBe('yet-another-process');
    expect(a.errors).toEqual([]);
  });

  it('refuses lease timings that could not hold', () => {
    const prefix = prefixes.make('waweb-owner-options');
    const links: WhatsAppWebLinks = {
      login: () => Promise.reject(new Error('unused')),
      requestPairingCode: () => Promise.reject(new Error('unused')),
      status: () => Promise.reject(new Error('unused')),
    };
    for (const timing of [{ leaseTtlMs: 0 }, { leaseTtlMs: 1000, leaseRenewMs: 1000 }, { leaseRenewMs: -1 }, { leaseTtlMs: 1.5 }]) {
      const unused = redis.duplicate();
      expect(() => serveWhatsAppWebLinks({ links, publisher: redis, subscriber: unused, queuePrefix: prefix, ...timing })).toThrow(RangeError);
      unused.disconnect();
    }
  });
});
