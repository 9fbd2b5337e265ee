import type { Rounding } from './rounding.ts';

/** Divides exactly in BigInt and rounds once, so no binary floating point touches money. */
export function roundDiv(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const negative = numerator < 0n;
  const awayFromZero = negative ? quotient - 1n : quotient + 1n;
  const twice = 2n * (negative ? -remainder : remainder);
  switch (rounding) {
    case 'floor':
      return negative ? awayFromZero : quotient;
    case 'ceil':
      return negative ? quotient : awayFromZero;
    case 'half-up':
      return twice >= denominator ? awayFromZero : quotient;
    case 'half-even':
      if (twice > denominator) return awayFromZero;
      if (twice < denominator) return quotient;
      return quotient % 2n === 0n ? quotient : awayFromZero;
  }
}
