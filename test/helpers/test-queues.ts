import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectRedis, createQueues, type HubQueues } from '../../queues/index.ts';

/** The local Redis the tests use. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A unique BullMQ prefix per test file and run, so files never see each other's jobs. */
export function queuePrefix(file: string): string {
  return `t-${file}-${randomUUID().slice(0, 8)}`;
}

/** Deletes everything under the queues' prefix and closes them. */
export async function dropQueues(queues: HubQueues): Promise<void> {
  for (const queue of queues.all()) {
    await queue.obliterate({ force: true }).catch(() => undefined);
  }
  await queues.close();
}

/** Deletes every key under `prefix`: a cut connection may still flush a queue's writes late. */
export async function sweepPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** The prefixes a test file makes with `make` (each a {@link queuePrefix}); `sweep` deletes every key under them. */
export function prefixTracker(): { make(name: string): string; sweep(redis: Redis): Promise<void> } {
  const made: string[] = [];
  return {
    make(name) {
      const p = queuePrefix(name);
      made.push(p);
      return p;
    },
    async sweep(redis) {
      for (const p of made) await sweepPrefix(redis, p);
    },
  };
}

/** Deletes everything under `prefix` through a fresh connection (for queues whose own connection was cut). */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = connectRedis(REDIS_URL);
  await dropQueues(createQueues({ connection: redis, prefix }));
  await sweepPrefix(redis, prefix);
  await redis.quit();
}
