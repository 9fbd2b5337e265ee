import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatInr } from '../../core/money/index.ts';

describe('formatInr', () => {
  it.each([
    [0, '₹0.00'],
    [1, '₹0.01'],
    [99, '₹0.99'],
    [100, '₹1.00'],
    [12345, '₹123.45'],
    [100000, '₹1,000.00'],
    [10_000_000, '₹1,00,000.00'],
    [1_000_000_000, '₹1,00,00,000.00'],
    [100_000_000_000, '₹1,00,00,00,000.00'],
    [12345678901, '₹12,34,56,789.01'],
    [Number.MAX_SAFE_INTEGER, '₹9,00,71,99,25,47,409.91'],
    [-1, '-₹0.01'],
    [-12345678901, '-₹12,34,56,789.01'],
  ])('formats %i paise as %s', (paise, expected) => {
    expect(formatInr(paise)).toBe(expected);
  });

  it('agrees with Intl en-IN currency formatting', () => {
    const intl = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });
    fc.assert(
      fc.property(fc.maxSafeInteger(), (paise) => {
        const sign = paise < 0 ? '-' : '';
        const abs = BigInt(Math.abs(paise));
        const decimal = `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
        // Intl takes a decimal string exactly; a float would lose paise above 2^53 / 100.
        expect(formatInr(paise)).toBe(intl.format(decimal as unknown as number));
      }),
    );
  });

  it('omits the symbol', () => {
    expect(formatInr(12345678901, { symbol: false })).toBe('12,34,56,789.01');
    expect(formatInr(-500, { symbol: false })).toBe('-5.00');
  });

  it('drops zero paise only when they are zero', () => {
    expect(formatInr(150000, { dropZeroPaise: true })).toBe('₹1,500');
    expect(formatInr(150001, { dropZeroPaise: true })).toBe('₹1,500.01');
    expect(formatInr(0, { dropZeroPaise: true })).toBe('₹0');
    expect(formatInr(-100, { dropZeroPaise: true })).toBe('-₹1');
  });

  it('prints negatives in parentheses for ledgers', () => {
    expect(formatInr(-123456, { negative: 'parentheses' })).toBe('(₹1,234.56)');
    expect(formatInr(123456, { negative: 'parentheses' })).toBe('₹1,234.56');
  });

  it('never prints a negative zero', () => {
    expect(formatInr(-0)).toBe('₹0.00');
  });

  describe('compact', () => {
    it.each([
      [12345678901, '₹12.35 Cr'],
      [12_345_678_90, '₹1.23 Cr'],
      [123_456_700, '₹12.35 L'],
      [10_000_000, '₹1 L'],
      [15_000_000, '₹1.5 L'],
      [1_000_000_000, '₹1 Cr'],
      [100_000_000_000, '₹100 Cr'],
      [100_000_000_000_000, '₹1,00,000 Cr'],
      [999_999_999, '₹1 Cr'],
      [999_499_999, '₹99.95 L'],
      [9_999_999, '₹99,999.99'],
      [0, '₹0.00'],
      [-123_456_700, '-₹12.35 L'],
    ])('abbreviates %i paise as %s', (paise, expected) => {
      expect(formatInr(paise, { compact: true })).toBe(expected);
    });

    it('rounds ties half-up in the unit', () => {
      expect(formatInr(1_005_000_000, { compact: true })).toBe('₹1.01 Cr');
      expect(formatInr(1_004_999_999, { compact: true })).toBe('₹1 Cr');
    });

    it('honours compactDigits', () => {
      expect(formatInr(1_234_567_890, { compact: true, compactDigits: 0 })).toBe('₹1 Cr');
      expect(formatInr(1_234_567_890, { compact: true, compactDigits: 4 })).toBe('₹1.2346 Cr');
      expect(() => formatInr(1, { compact: true, compactDigits: 8 })).toThrow(RangeError);
      expect(() => formatInr(1, { compact: true, compactDigits: 1.5 })).toThrow(RangeError);
    });

    it('speaks Hindi units', () => {
      expect(formatInr(12_345_678_90, { compact: true, locale: 'hi' })).toBe('₹1.23 करोड़');
      expect(formatInr(123_456_700, { compact: true, locale: 'hi-IN' })).toBe('₹12.35 लाख');
      expect(formatInr(123_456_700, { compact: true, locale: 'en' })).toBe('₹12.35 L');
    });

    it('omits the symbol', () => {
      expect(formatInr(12_345_678_90, { compact: true, symbol: false })).toBe('1.23 Cr');
    });
  });

  describe('digits', () => {
    it('uses Western digits by default, even in Hindi', () => {
      expect(formatInr(12345678901, { locale: 'hi-IN' })).toBe('₹12,34,56,789.01');
    });

    it('prints Devanagari digits on request', () => {
      expect(formatInr(12345678901, { digits: 'deva' })).toBe('₹१२,३४,५६,७८९.०१');
      expect(formatInr(12_345_678_90, { compact: true, locale: 'hi-IN', digits: 'deva' })).toBe('₹१.२३ करोड़');
    });
  });

  describe('rejects what is not paise', () => {
    it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1, -(2 ** 60)])('%s', (value) => {
      expect(() => formatInr(value)).toThrow(RangeError);
    });

    it('rejects a non-number', () => {
      expect(() => formatInr('100' as unknown as number)).toThrow(TypeError);
    });

    it('rejects an unknown locale or digit system', () => {
      expect(() => formatInr(1, { locale: 'fr' as never })).toThrow(RangeError);
      expect(() => formatInr(1, { digits: 'arab' as never })).toThrow(RangeError);
    });
  });
});
