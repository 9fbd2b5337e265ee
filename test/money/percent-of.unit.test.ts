import { describe, expect, it } from 'vitest';
import { percentOf } from '../../core/money/index.ts';

describe('percentOf', () => {
  it.each([
    [10_000_000, 3333, 3_333_000], // 33.33% of ₹1,00,000 = ₹33,330.00
    [10_000_000, 1800, 1_800_000],
    [10_000_000, 10_000, 10_000_000],
    [10_000_000, 15_000, 15_000_000],
    [10_000_000, 1, 1000],
    [100, 3333, 33], // 33.33 paise
    [100, 6667, 67], // 66.67 paise
    [1, 5000, 1], // half a paisa rounds up
    [1, 4999, 0],
    [3, 5000, 2], // 1.5 → 2
    [0, 1800, 0],
    [12345, 0, 0],
    [-1, 5000, -1], // ties away from zero
    [-100, 3333, -33],
    [1001, 1800, 180], // 180.18
    [1003, 1800, 181], // 180.54
  ])('%i paise × %i bp = %i', (amount, bp, expected) => {
    expect(percentOf(amount, bp)).toBe(expected);
  });

  it.each([
    ['half-up', [3, 2, -2, -3]],
    ['half-even', [2, 2, -2, -2]],
    ['floor', [2, 1, -2, -3]],
    ['ceil', [3, 2, -1, -2]],
  ] as const)('rounds %s', (rounding, expected) => {
    // 50% of 5, 3, -3, -5 paise: 2.5, 1.5, -1.5, -2.5
    expect([5, 3, -3, -5].map((a) => percentOf(a, 5000, { rounding }))).toEqual(expected);
  });

  it('never returns negative zero', () => {
    expect(Object.is(percentOf(-1, 1), 0)).toBe(true);
  });

  it('stays exact where floating point would not', () => {
    // amount × basis points is far past 2^53 here, where a float product would drop paise.
    expect(percentOf(Number.MAX_SAFE_INTEGER, 10_000)).toBe(Number.MAX_SAFE_INTEGER);
    expect(percentOf(9_007_199_254_740_990, 5000)).toBe(4_503_599_627_370_495);
  });

  it('throws on values its types forbid', () => {
    expect(() => percentOf(1.5, 100)).toThrow(RangeError);
    expect(() => percentOf(100, 33.33)).toThrow(RangeError);
    expect(() => percentOf(Number.MAX_SAFE_INTEGER, 20_000)).toThrow(RangeError);
  });
});
