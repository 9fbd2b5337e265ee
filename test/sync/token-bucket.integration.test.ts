import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../queues/index.ts';
import { createTokenBucket } from '../../queues/sync/index.ts';
import { REDIS_URL } from './sync-fixture.ts';

const redis = connectRedis(REDIS_URL);
const prefix = `t-sync-bucket-${randomUUID().slice(0, 8)}`;
const bucket = createTokenBucket({ client: () => redis, prefix });

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('the per-connection token bucket (real Redis)', () => {
  it('grants a burst up to capacity, then says how long to wait', async () => {
    const key = bucket.keyOf('tn_a', 'con_1');
    const params = { capacity: 5, refillPerSecond: 10 };
    const waits = [];
    for (let i = 0; i < 6; i += 1) waits.push(await bucket.take(key, params));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits[5]).toBeGreaterThan(0);
    expect(waits[5]).toBeLessThanOrEqual(100);
    await new Promise((r) => setTimeout(r, 250));
    expect(await bucket.take(key, params)).toBe(0);
  });

  it('is shared: every taker of one connection draws on the same budget, other connections are unaffected', async () => {
    const params = { capacity: 10, refillPerSecond: 1 };
    const key = bucket.keyOf('tn_a', 'con_2');
    const results = await Promise.all(Array.from({ length: 20 }, () => bucket.take(key, params)));
    expect(results.filter((w) => w === 0)).toHaveLength(10);
    expect(await bucket.take(bucket.keyOf('tn_a', 'con_3'), params)).toBe(0);
    expect(await bucket.take(bucket.keyOf('tn_b', 'con_2'), params)).toBe(0);
  });

  it('is emptied for a vendor Retry-After', async () => {
    const key = bucket.keyOf('tn_a', 'con_4');
    const params = { capacity: 100, refillPerSecond: 100 };
    await bucket.block(key, 800);
    const wait = await bucket.take(key, params);
    expect(wait).toBeGreaterThan(600);
    expect(wait).toBeLessThanOrEqual(800);
  });
});
