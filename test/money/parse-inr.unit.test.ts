import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatInr, parseInr } from '../../core/money/index.ts';
import type { FormatInrOptions } from '../../core/money/index.ts';

function parsed(text: string): number {
  const result = parseInr(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.code}`);
  return result.value;
}

describe('parseInr', () => {
  it.each([
    ['₹1,23,456.78', 12345678],
    ['1,23,456.78', 12345678],
    ['123,456.78', 12345678],
    ['123456.78', 12345678],
    ['₹0.01', 1],
    ['₹0.99', 99],
    ['₹1', 100],
    ['1.5', 150],
    ['1.50', 150],
    ['1.500', 150],
    ['₹ 500', 50000],
    ['Rs. 500/-', 50000],
    ['Rs500', 50000],
    ['INR 1,000.00', 100000],
    ['रु 500', 50000],
    ['1.5 Cr', 1_500_000_000],
    ['1.5Cr', 1_500_000_000],
    ['2 crore', 2_000_000_000],
    ['2 Crores', 2_000_000_000],
    ['12 lakh', 120_000_000],
    ['12 Lakhs', 120_000_000],
    ['12 lacs', 120_000_000],
    ['₹12.35 L', 123_500_000],
    ['₹1.23 करोड़', 1_230_000_000],
    ['₹12.35 लाख', 123_500_000],
    ['₹1,000 Cr', 1_000_000_000_000],
    ['1.23456789 Cr', 1_234_567_890],
    ['₹१२,३४,५६,७८९.०१', 12345678901],
    ['-₹5', -500],
    ['₹-5', -500],
    ['−₹5', -500],
    ['(₹1,234.56)', -123456],
    ['  ₹5\u00A0 ', 500],
    ['-0', 0],
    ['₹9,00,71,99,25,47,409.91', Number.MAX_SAFE_INTEGER],
  ])('reads %s as %i paise', (text, expected) => {
    expect(parsed(text)).toBe(expected);
  });

  it('accepts the precomposed letter in करोड़', () => {
    expect(parsed('2 \u0915\u0930\u094B\u095C')).toBe(2_000_000_000);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['abc', 'unparseable'],
    ['₹', 'unparseable'],
    ['1,2,3', 'unparseable'],
    ['12,345,67', 'unparseable'],
    ['1,23,4567', 'unparseable'],
    ['1,', 'unparseable'],
    ['.5', 'unparseable'],
    ['1.', 'unparseable'],
    ['--5', 'unparseable'],
    ['-(5)', 'unparseable'],
    ['(5', 'unparseable'],
    ['5 dollars', 'unparseable'],
    ['$5', 'unparseable'],
    ['1e5', 'unparseable'],
    ['₹0.001', 'too-precise'],
    ['1.1234567891 Cr', 'too-precise'],
    ['₹9,00,71,99,25,47,409.92', 'out-of-range'],
    ['1,00,00,000 Cr', 'out-of-range'],
  ])('refuses %j with %s', (text, code) => {
    const result = parseInr(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('round-trips every full-form output of formatInr', () => {
    const options = fc.record(
      {
        symbol: fc.boolean(),
        dropZeroPaise: fc.boolean(),
        locale: fc.constantFrom('en', 'en-IN', 'hi', 'hi-IN' as const),
        digits: fc.constantFrom('latn', 'deva' as const),
        negative: fc.constantFrom('minus', 'parentheses' as const),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.maxSafeInteger(), options, (paise, opts: FormatInrOptions) => {
        expect(parsed(formatInr(paise, opts))).toBe(paise + 0);
      }),
    );
  });

  it('reads compact output back to within half a display unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 15), max: 10 ** 15 }), fc.constantFrom('en-IN', 'hi-IN' as const), (paise, locale) => {
        const text = formatInr(paise, { compact: true, locale });
        const back = parsed(text);
        const unit = Math.abs(paise) >= 999_500_000 ? 1_000_000_000 : Math.abs(paise) >= 10_000_000 ? 10_000_000 : 0;
        expect(Math.abs(back - paise)).toBeLessThanOrEqual(unit / 200);
      }),
    );
  });
});
