import { isPaise } from './is-paise.ts';
import { fail, ok } from './money-result.ts';
import type { MoneyResult } from './money-result.ts';
import { roundDiv } from './round-div.ts';

/**
 * What to split by: basis points of the total (10000 = 100%), or relative integer weights
 * (for example the milestone values of a contract).
 */
export type SplitBasis = { basisPoints: readonly number[] } | { weights: readonly number[] };

/** Options for {@link splitAmount}. */
export interface SplitAmountOptions {
  /**
   * Where the paise lost to rounding go.
   * - `remainder-to-last`: every part is rounded toward zero and the last part with a non-zero
   *   share takes what is left, as milestone schedules usually settle on the final milestone.
   * - `largest-remainder`: each leftover paisa goes to the part whose exact share lost the most,
   *   earlier parts first on ties; no part is ever more than one paisa from its exact share.
   * @default 'remainder-to-last'
   */
  method?: 'remainder-to-last' | 'largest-remainder';
}

/** The parts of a split. `parts` plus `unallocated` always sum exactly to the total. */
export interface Split {
  parts: number[];
  /** What basis points under 100% leave over, rounded half-up; 0 for weights and for 100%. */
  unallocated: number;
}

/** Why {@link splitAmount} refused its input. */
export type SplitAmountErrorCode = 'invalid-amount' | 'no-parts' | 'invalid-share' | 'over-100-percent' | 'zero-weights';

const FULL = 10_000n;

/**
 * Splits integer paise into integer parts in proportion to basis points or weights.
 *
 * Shares must be non-negative safe integers. Basis points may sum to less than 100% (the rest is
 * `unallocated`) but not more. A negative total splits as the mirror image of its positive.
 *
 * @example splitAmount(100, { basisPoints: [3333, 3333, 3334] }) // { ok: true, value: { parts: [33, 33, 34], unallocated: 0 } }
 * @example splitAmount(100, { weights: [1, 1, 1] }, { method: 'largest-remainder' }) // parts [34, 33, 33]
 */
export function splitAmount(
  total: number,
  basis: SplitBasis,
  { method = 'remainder-to-last' }: SplitAmountOptions = {},
): MoneyResult<Split, SplitAmountErrorCode> {
  if (!isPaise(total)) return fail('invalid-amount', 'total must be a safe integer of paise');
  const byBasisPoints = 'basisPoints' in basis;
  const shares = byBasisPoints ? basis.basisPoints : basis.weights;
  if (shares.length === 0) return fail('no-parts', 'nothing to split into');
  const bad = shares.findIndex((share) => !isPaise(share) || share < 0);
  if (bad !== -1) return fail('invalid-share', `share ${bad + 1} must be a non-negative safe integer`);

  const weights = shares.map(BigInt);
  const weightSum = weights.reduce((sum, w) => sum + w, 0n);
  if (byBasisPoints && weightSum > FULL) {
    return fail('over-100-percent', `basis points sum to ${weightSum}, more than 10000 (100%)`);
  }
  if (!byBasisPoints && weightSum === 0n) return fail('zero-weights', 'weights sum to zero');

  const magnitude = BigInt(Math.abs(total));
  const allocated = byBasisPoints ? roundDiv(magnitude * weightSum, FULL, 'half-up') : magnitude;
  const parts = weightSum === 0n
    ? weights.map(() => 0n)
    : method === 'largest-remainder'
      ? largestRemainder(allocated, weights, weightSum)
      : remainderToLast(allocated, weights, weightSum);
  const sign = total < 0 ? -1 : 1;
  return ok({
    parts: parts.map((part) => sign * Number(part) + 0),
    unallocated: sign * Number(magnitude - allocated) + 0,
  });
}

function remainderToLast(amount: bigint, weights: readonly bigint[], weightSum: bigint): bigint[] {
  const parts = weights.map((w) => (amount * w) / weightSum);
  const last = weights.findLastIndex((w) => w > 0n);
  const others = parts.reduce((sum, part, i) => (i === last ? sum : sum + part), 0n);
  parts[last] = amount - others;
  return parts;
}

function largestRemainder(amount: bigint, weights: readonly bigint[], weightSum: bigint): bigint[] {
  const parts = weights.map((w) => (amount * w) / weightSum);
  const remainders = weights.map((w, i) => ({ i, lost: (amount * w) % weightSum }));
  let leftover = amount - parts.reduce((sum, part) => sum + part, 0n);
  remainders.sort((a, b) => (a.lost === b.lost ? a.i - b.i : a.lost > b.lost ? -1 : 1));
  for (const { i } of remainders) {
    if (leftover === 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return parts;
}
