import type { Redis } from 'ioredis';
import type { BucketParams } from '../../core/sync/index.ts';

// Redis' own clock (TIME), so every process agrees on the refill. Fields: tokens, ts (ms), blocked (ms).
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts', 'blocked')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
local blocked = tonumber(state[3]) or 0
if blocked > now then return blocked - now end
if tokens == nil or ts == nil then tokens = capacity; ts = now end
tokens = math.min(capacity, tokens + (now - ts) * rate / 1000)
local wait = 0
if tokens >= cost then tokens = tokens - cost else wait = math.ceil((cost - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], ttl)
return wait
`;

const BLOCK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ = now + tonumber(ARGV[1])
local blocked = tonumber(redis.call('HGET', KEYS[1], 'blocked')) or 0
if until_ > blocked then redis.call('HSET', KEYS[1], 'blocked', tostring(until_), 'tokens', '0', 'ts', tostring(now)) end
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[2]), tonumber(ARGV[1]) + 1000))
return until_ - now
`;

/** A per-connection request budget in Redis, shared by every process and every job that calls the vendor. */
export interface TokenBucket {
  /** Takes `cost` tokens; 0 when granted, otherwise how many ms until they would be. Nothing is taken when refused. */
  take(key: string, params: BucketParams, cost?: number): Promise<number>;
  /** Empties the bucket for `ms` (the vendor answered 429 with Retry-After). */
  block(key: string, ms: number): Promise<void>;
  /** The Redis key of a connection's bucket. */
  keyOf(tenantId: string, connectionId: string): string;
}

/**
 * Token buckets as Lua scripts, one hash per connection under `prefix`. `client` is any ioredis
 * connection (a queue's own is fine: the scripts are short and never block).
 * @example const bucket = createTokenBucket({ client: () => queue.client, prefix: 'hub' });
 */
export function createTokenBucket({ client, prefix }: { client: () => Promise<Redis> | Redis; prefix: string }): TokenBucket {
  const shas = new Map<string, string>();
  const run = async (script: string, key: string, args: (string | number)[]): Promise<number> => {
    const redis = await client();
    let sha = shas.get(script);
    if (sha === undefined) {
      sha = (await redis.script('LOAD', script)) as string;
      shas.set(script, sha);
    }
    try {
      return Number(await redis.evalsha(sha, 1, key, ...args));
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      shas.delete(script);
      return Number(await redis.eval(script, 1, key, ...args));
    }
  };
  return {
    async take(key, params, cost = 1) {
      if (!(params.capacity > 0) || !(params.refillPerSecond > 0)) throw new RangeError('token bucket: capacity and refillPerSecond must be positive');
      const ttl = Math.ceil((params.capacity / params.refillPerSecond) * 1000) + 60_000;
      return run(TAKE, key, [params.capacity, params.refillPerSecond, Math.min(cost, params.capacity), ttl]);
    },
    async block(key, ms) {
      await run(BLOCK, key, [Math.max(1, Math.ceil(ms)), 60_000]);
    },
    keyOf: (tenantId, connectionId) => `${prefix}:sync-bucket:${tenantId}:${connectionId}`,
  };
}
