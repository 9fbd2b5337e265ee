import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitAmount } from '../../core/money/index.ts';
import type { Split, SplitAmountOptions, SplitBasis } from '../../core/money/index.ts';

function parts(total: number, basis: SplitBasis, options?: SplitAmountOptions): Split {
  const result = splitAmount(total, basis, options);
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

describe('splitAmount', () => {
  describe('by basis points', () => {
    it('splits 30/30/40 exactly', () => {
      expect(parts(10_000_000, { basisPoints: [3000, 3000, 4000] })).toEqual({ parts: [3_000_000, 3_000_000, 4_000_000], unallocated: 0 });
    });

    it('gives the rounding remainder to the last part', () => {
      expect(parts(100, { basisPoints: [3333, 3333, 3334] })).toEqual({ parts: [33, 33, 34], unallocated: 0 });
      expect(parts(1, { basisPoints: [5000, 5000] })).toEqual({ parts: [0, 1], unallocated: 0 });
      expect(parts(101, { basisPoints: [5000, 5000] })).toEqual({ parts: [50, 51], unallocated: 0 });
    });

    it('leaves what is under 100% unallocated', () => {
      expect(parts(10_000_000, { basisPoints: [2500, 2500] })).toEqual({ parts: [2_500_000, 2_500_000], unallocated: 5_000_000 });
      // 66.66% of 100 paise is 66.66 → 67 allocated, 33 left.
      expect(parts(100, { basisPoints: [3333, 3333] })).toEqual({ parts: [33, 34], unallocated: 33 });
      expect(parts(100, { basisPoints: [0, 0] })).toEqual({ parts: [0, 0], unallocated: 100 });
    });

    it('skips zero shares when placing the remainder', () => {
      expect(parts(101, { basisPoints: [5000, 5000, 0] })).toEqual({ parts: [50, 51, 0], unallocated: 0 });
    });

    it('mirrors a negative total', () => {
      expect(parts(-101, { basisPoints: [5000, 5000] })).toEqual({ parts: [-50, -51], unallocated: 0 });
    });

    it('refuses more than 100%', () => {
      const result = splitAmount(100, { basisPoints: [5000, 5001] });
      expect(result).toMatchObject({ ok: false, error: { code: 'over-100-percent' } });
    });
  });

  describe('by weights', () => {
    it('splits by milestone values', () => {
      expect(parts(1000, { weights: [1, 2, 7] })).toEqual({ parts: [100, 200, 700], unallocated: 0 });
    });

    it('puts the remainder on the last part by default', () => {
      expect(parts(100, { weights: [1, 1, 1] })).toEqual({ parts: [33, 33, 34], unallocated: 0 });
      expect(parts(2, { weights: [1, 1, 1] })).toEqual({ parts: [0, 0, 2], unallocated: 0 });
    });

    it('spreads the remainder by largest remainder', () => {
      const method = 'largest-remainder';
      expect(parts(100, { weights: [1, 1, 1] }, { method })).toEqual({ parts: [34, 33, 33], unallocated: 0 });
      expect(parts(2, { weights: [1, 1, 1] }, { method })).toEqual({ parts: [1, 1, 0], unallocated: 0 });
      // exact shares 14.2857, 28.5714, 57.1428 → remainders .2857, .5714, .1428
      expect(parts(100, { weights: [1, 2, 4] }, { method })).toEqual({ parts: [14, 29, 57], unallocated: 0 });
      expect(parts(-100, { weights: [1, 1, 1] }, { method })).toEqual({ parts: [-34, -33, -33], unallocated: 0 });
    });

    it('handles a zero total and a single part', () => {
      expect(parts(0, { weights: [1, 2] })).toEqual({ parts: [0, 0], unallocated: 0 });
      expect(parts(12345, { weights: [9] })).toEqual({ parts: [12345], unallocated: 0 });
    });

    it('stays exact at the largest safe amount', () => {
      const split = parts(Number.MAX_SAFE_INTEGER, { weights: [Number.MAX_SAFE_INTEGER, 1, 3] });
      expect(sum(split.parts)).toBe(Number.MAX_SAFE_INTEGER);
    });
  });

  describe('refuses bad input with a code', () => {
    it.each([
      [1.5, { weights: [1] }, 'invalid-amount'],
      [Number.NaN, { weights: [1] }, 'invalid-amount'],
      [2 ** 53, { weights: [1] }, 'invalid-amount'],
      [100, { weights: [] }, 'no-parts'],
      [100, { basisPoints: [] }, 'no-parts'],
      [100, { weights: [1, -1] }, 'invalid-share'],
      [100, { weights: [0.5, 0.5] }, 'invalid-share'],
      [100, { basisPoints: [33.33, 66.67] }, 'invalid-share'],
      [100, { weights: [0, 0] }, 'zero-weights'],
      [100, { basisPoints: [10_001] }, 'over-100-percent'],
    ] as const)('%s by %j → %s', (total, basis, code) => {
      expect(splitAmount(total, basis)).toMatchObject({ ok: false, error: { code } });
    });
  });

  describe('properties', () => {
    const total = fc.integer({ min: -(10 ** 15), max: 10 ** 15 });
    const method = fc.constantFrom('remainder-to-last', 'largest-remainder' as const);

    it('weights: parts always sum to the total and stay within a paisa of their share', () => {
      fc.assert(
        fc.property(total, fc.array(fc.nat({ max: 10 ** 9 }), { minLength: 1, maxLength: 12 }), method, (t, weights, m) => {
          fc.pre(sum(weights) > 0);
          const split = parts(t, { weights }, { method: m });
          expect(sum(split.parts)).toBe(t);
          expect(split.unallocated).toBe(0);
          if (m === 'largest-remainder') {
            const w = sum(weights);
            split.parts.forEach((part, i) => expect(Math.abs(part - (t * (weights[i] ?? 0)) / w)).toBeLessThan(1 + 1e-6 * Math.abs(t)));
          }
          split.parts.forEach((part, i) => {
            if (weights[i] === 0) expect(part).toBe(0);
            expect(Math.sign(part) * Math.sign(t)).not.toBe(-1);
          });
        }),
      );
    });

    it('basis points: parts plus unallocated always sum to the total', () => {
      const shares = fc.array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 10 }).filter((bps) => sum(bps) <= 10_000);
      fc.assert(
        fc.property(total, shares, method, (t, basisPoints, m) => {
          const split = parts(t, { basisPoints }, { method: m });
          expect(sum(split.parts) + split.unallocated).toBe(t);
          if (sum(basisPoints) === 10_000) expect(split.unallocated).toBe(0);
        }),
      );
    });

    it('basis points that fill 100% always allocate everything', () => {
      const full = fc
        .array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 9 })
        .filter((bps) => sum(bps) <= 10_000)
        .map((bps) => [...bps, 10_000 - sum(bps)]);
      fc.assert(
        fc.property(total, full, (t, basisPoints) => {
          const split = parts(t, { basisPoints });
          expect(sum(split.parts)).toBe(t);
          expect(split.unallocated).toBe(0);
        }),
      );
    });
  });
});
