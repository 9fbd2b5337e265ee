import { assertPaise } from './assert-paise.ts';
import type { Rounding } from './rounding.ts';
import { roundDiv } from './round-div.ts';
import { toSafePaise } from './to-safe-paise.ts';

/** Options for {@link percentOf}. */
export interface PercentOfOptions {
  /** @default 'half-up' (ties away from zero) */
  rounding?: Rounding;
}

/**
 * A percentage of an amount, given in basis points (1 bp = 0.01%, 10000 bp = 100%), computed
 * exactly and rounded once to the paisa.
 *
 * Basis points may be negative or above 10000 (a 150% penalty). Throws a RangeError when the
 * amount or the basis points are not safe integers, or the result would not be one.
 *
 * @example percentOf(10_000_000, 3333) // 3_333_000 (33.33% of ₹1,00,000 is ₹33,330.00)
 * @example percentOf(1, 5000) // 1 (half a paisa rounds up)
 * @example percentOf(1, 5000, { rounding: 'half-even' }) // 0
 */
export function percentOf(amount: number, basisPoints: number, { rounding = 'half-up' }: PercentOfOptions = {}): number {
  assertPaise(amount, 'amount');
  if (!Number.isSafeInteger(basisPoints)) throw new RangeError(`basisPoints must be a safe integer, got ${String(basisPoints)}`);
  const result = toSafePaise(roundDiv(BigInt(amount) * BigInt(basisPoints), 10_000n, rounding));
  if (result === undefined) throw new RangeError('percentOf result is beyond the safe integer range');
  return result;
}
