import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** One polling sweep per connection and object at a time, across processes. */
export interface SweepLock {
  /** A token when the lock was free (it expires after `ttlMs` should the holder die), null when another sweep holds it. */
  acquire(key: string, ttlMs: number): Promise<string | null>;
  release(key: string, token: string): Promise<void>;
  keyOf(tenantId: string, connectionId: string, remoteObject: string): string;
}

/** Redis `SET NX PX` locks, released only by their holder. */
export function createSweepLock({ client, prefix }: { client: () => Promise<Redis>; prefix: string }): SweepLock {
  return {
    async acquire(key, ttlMs) {
      const token = randomUUID();
      const ok = await (await client()).set(key, token, 'PX', ttlMs, 'NX');
      return ok === 'OK' ? token : null;
    },
    async release(key, token) {
      await (await client()).eval(RELEASE, 1, key, token);
    },
    keyOf: (tenantId, connectionId, remoteObject) => `${prefix}:sync-sweep:${tenantId}:${connectionId}:${remoteObject}`,
  };
}
