import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedis, createWorker, WorkerClosingError } from '../../queues/index.ts';

// BullMQ's own retry loop, reached the way its scheduler path reaches it: a connection error while
// the worker is closing. Unguarded, BullMQ 5 retries that forever without waiting.
type Retrying = { retryIfFailed: (fn: () => Promise<unknown>, opts: { delayInMs?: number }) => Promise<unknown>; closing?: Promise<void> };

const prefix = `t-wclose-${randomUUID().slice(0, 8)}`;
const redis = connectRedis('redis://127.0.0.1:6379');
const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

const connectionClosed = () => Object.assign(new Error('Connection is closed.'), {});

describe('workers closing over a lost connection', () => {
  it('gives up on a connection error once closing, instead of retrying it', async () => {
    const worker = createWorker('guarded', async () => undefined, { connection, prefix, autorun: false });
    await worker.waitUntilReady();
    await worker.close();
    let calls = 0;
    const outcome = (worker as unknown as Retrying)
      .retryIfFailed(async () => {
        calls += 1;
        throw connectionClosed();
      }, { delayInMs: 10 })
      .then(() => 'resolved', (err: unknown) => err);
    // Bounded: BullMQ's loop would still be spinning when this settles.
    const settled = await Promise.race([outcome, new Promise((r) => setTimeout(() => r('still retrying'), 2000))]);
    expect(settled).toBeInstanceOf(WorkerClosingError);
    expect(calls).toBe(1);
  });

  it('still retries connection errors while running, with the delay', async () => {
    const worker = createWorker('guarded-running', async () => undefined, { connection, prefix, autorun: false });
    await worker.waitUntilReady();
    try {
      let calls = 0;
      const value = await (worker as unknown as Retrying).retryIfFailed(async () => {
        calls += 1;
        if (calls < 3) throw connectionClosed();
        return 'ok';
      }, { delayInMs: 5 });
      expect(value).toBe('ok');
      expect(calls).toBe(3);
    } finally {
      await worker.close();
    }
  });

  it('shows the loop it guards against: an unguarded closing worker retries without end or delay', async () => {
    const worker = new Worker('unguarded', async () => undefined, { connection, prefix, autorun: false });
    await worker.waitUntilReady();
    await worker.close();
    let calls = 0;
    const started = Date.now();
    // The loop never yields to timers, so this test ends it from inside, after 1,000 tries.
    const outcome = await (worker as unknown as Retrying).retryIfFailed(async () => {
      calls += 1;
      if (calls >= 1000) return 'stopped';
      throw connectionClosed();
    }, { delayInMs: 1000 });
    expect(outcome).toBe('stopped');
    expect(calls).toBe(1000);
    // 999 retries with a 1 s delay would take 999 s; they took no delay at all.
    expect(Date.now() - started).toBeLessThan(999_000);
  });
});
