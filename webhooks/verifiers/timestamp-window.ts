import type { VerifyFailure, VerifyInput } from './types.ts';

const defaultToleranceSeconds = 300;

/** Parses an unsigned decimal integer as sent in signature headers; anything else is undefined. */
export function parseDecimal(text: string): number | undefined {
  if (!/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** The tolerance to apply, or undefined when the caller passed a nonsensical one. */
export function toleranceMs(input: VerifyInput): number | undefined {
  const seconds = input.toleranceSeconds ?? defaultToleranceSeconds;
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  return seconds * 1000;
}

/** Rejects a signed time outside `now ± tolerance`: a replayed request is as bad as a forged one. */
export function checkTimestampWindow(
  signedAtMs: number,
  now: Date,
  tolerance: number,
): Extract<VerifyFailure, 'stale_timestamp' | 'future_timestamp'> | undefined {
  const skew = now.getTime() - signedAtMs;
  if (skew > tolerance) return 'stale_timestamp';
  if (-skew > tolerance) return 'future_timestamp';
  return undefined;
}
