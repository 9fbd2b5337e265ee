/** A published request quota, as connectors declare them. */
export interface QuotaLike {
  requests: number;
  perSeconds: number;
  description?: string;
}

/** A token bucket: how many requests may burst, and how fast the allowance comes back. */
export interface BucketParams {
  capacity: number;
  refillPerSecond: number;
}

/** For a connector that publishes no connection-wide quota. */
export const DEFAULT_BUCKET: BucketParams = { capacity: 200, refillPerSecond: 100 };
/** No connection gets less, whatever its quota says. */
export const BUCKET_FLOOR: BucketParams = { capacity: 10, refillPerSecond: 1 };
/** A daily allowance is not spent in one burst: at most this many seconds of refill at once. */
const BURST_SECONDS = 10;

// Quotas counted per issue or per record limit writes to one record, not the connection's traffic.
const PER_RECORD = /\bper[- ](issue|record|object|entity)\b|counted per (issue|record)/i;

/**
 * The token bucket of a connection from its connector's published quotas: the tightest rate of
 * those that apply to the connection as a whole, a burst of at most ten seconds of that rate,
 * never below `floor`. Quotas whose description says they count per issue or per record (Jira's
 * per-issue write limits) do not apply; without any that do, `fallback`.
 * @example bucketParams([{ requests: 500, perSeconds: 60 }]) // { capacity: 84, refillPerSecond: 8.33… }
 */
export function bucketParams(
  quotas: readonly QuotaLike[],
  { floor = BUCKET_FLOOR, fallback = DEFAULT_BUCKET }: { floor?: BucketParams; fallback?: BucketParams } = {},
): BucketParams {
  const applicable = quotas.filter((q) => q.requests > 0 && q.perSeconds > 0 && !PER_RECORD.test(q.description ?? ''));
  if (applicable.length === 0) return { ...fallback };
  let rate = Number.POSITIVE_INFINITY;
  let capacity = Number.POSITIVE_INFINITY;
  for (const q of applicable) {
    const r = q.requests / q.perSeconds;
    rate = Math.min(rate, r);
    capacity = Math.min(capacity, q.requests, Math.ceil(r * BURST_SECONDS));
  }
  return { capacity: Math.max(floor.capacity, capacity), refillPerSecond: Math.max(floor.refillPerSecond, rate) };
}
