import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gstSplit, GST_STATE_CODES } from '../../core/money/index.ts';
import type { GstSplit, GstSplitInput } from '../../core/money/index.ts';

function split(input: GstSplitInput): GstSplit {
  const result = gstSplit(input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const LAKH_RUPEES = 10_000_000;

describe('gstSplit', () => {
  it('splits 18% intra-state on ₹1,00,000.00 into CGST 9,000 + SGST 9,000', () => {
    const value = split({ lines: [{ amount: LAKH_RUPEES, gstRate: 18 }], supplierState: '29', placeOfSupply: '29' });
    expect(value).toEqual({
      supply: 'intra-state',
      sgstLabel: 'SGST',
      subtotal: LAKH_RUPEES,
      taxes: { cgst: 900_000, sgst: 900_000, igst: 0 },
      roundOff: 0,
      total: 11_800_000,
      lines: [{ amount: LAKH_RUPEES, gstRate: 18, cgst: 900_000, sgst: 900_000, igst: 0, tax: 1_800_000, total: 11_800_000 }],
    });
  });

  it('charges IGST 18,000 inter-state on ₹1,00,000.00', () => {
    const value = split({ lines: [{ amount: LAKH_RUPEES, gstRate: 18 }], supplierState: '29', placeOfSupply: '27' });
    expect(value.supply).toBe('inter-state');
    expect(value.taxes).toEqual({ cgst: 0, sgst: 0, igst: 1_800_000 });
    expect(value.total).toBe(11_800_000);
  });

  it('rounds each half-rate tax on its own, so CGST always equals SGST', () => {
    // 18% of ₹10.01 is 180.18 paise; 9% is 90.09 → 90 each.
    const intra = split({ lines: [{ amount: 1001, gstRate: 18 }], supplierState: '07', placeOfSupply: '07' });
    expect(intra.taxes).toEqual({ cgst: 90, sgst: 90, igst: 0 });
    // 18% of ₹10.03 is 180.54 → IGST 181, but 9% is 90.27 → 90 + 90 = 180.
    const intraOdd = split({ lines: [{ amount: 1003, gstRate: 18 }], supplierState: '07', placeOfSupply: '07' });
    const interOdd = split({ lines: [{ amount: 1003, gstRate: 18 }], supplierState: '07', placeOfSupply: '06' });
    expect(intraOdd.taxes).toEqual({ cgst: 90, sgst: 90, igst: 0 });
    expect(interOdd.taxes).toEqual({ cgst: 0, sgst: 0, igst: 181 });
  });

  it('rounds ties half-up to the paisa', () => {
    // 5% of 10 paise is 0.5 → 1 as IGST; 2.5% is 0.25 → 0 each intra-state.
    expect(split({ lines: [{ amount: 10, gstRate: 5 }], supplierState: '27', placeOfSupply: '24' }).taxes.igst).toBe(1);
    expect(split({ lines: [{ amount: 10, gstRate: 5 }], supplierState: '27', placeOfSupply: '27' }).taxes.cgst).toBe(0);
    // 9% of 50 paise is 4.5 → 5.
    expect(split({ lines: [{ amount: 50, gstRate: 18 }], supplierState: '27', placeOfSupply: '27' }).taxes.sgst).toBe(5);
  });

  it('taxes each line then sums, rather than taxing the sum', () => {
    const lines = [
      { amount: 1003, gstRate: 18 },
      { amount: 1003, gstRate: 18 },
    ];
    const value = split({ lines, supplierState: '19', placeOfSupply: '10' });
    expect(value.lines.map((l) => l.igst)).toEqual([181, 181]);
    expect(value.taxes.igst).toBe(362);
    expect(value.subtotal).toBe(2006);
    expect(value.total).toBe(2368);
  });

  it('handles mixed and fractional rates', () => {
    const value = split({
      lines: [
        { amount: 100_000, gstRate: 0.25 },
        { amount: 100_000, gstRate: 3 },
        { amount: 100_000, gstRate: 12 },
        { amount: 100_000, gstRate: 28 },
        { amount: 100_000, gstRate: 0 },
        { amount: 100_001, gstRate: 0.1 },
      ],
      supplierState: '33',
      placeOfSupply: '33',
    });
    expect(value.lines.map((l) => l.cgst)).toEqual([125, 1500, 6000, 14000, 0, 50]);
    expect(value.taxes.cgst).toBe(value.taxes.sgst);
    expect(value.taxes.cgst).toBe(21675);
    expect(value.total).toBe(600_001 + 2 * 21675);
  });

  describe('Union Territories', () => {
    it.each(['04', '25', '26', '31', '35', '38', '97'])('labels the state tax UTGST for %s', (code) => {
      const value = split({ lines: [{ amount: LAKH_RUPEES, gstRate: 18 }], supplierState: code, placeOfSupply: code });
      expect(value.supply).toBe('intra-state');
      expect(value.sgstLabel).toBe('UTGST');
      expect(value.taxes).toEqual({ cgst: 900_000, sgst: 900_000, igst: 0 });
    });

    it.each(['01', '07', '34'])('keeps SGST for %s, a Union Territory with a legislature', (code) => {
      expect(split({ lines: [], supplierState: code, placeOfSupply: code }).sgstLabel).toBe('SGST');
    });

    it('treats 25 and 26 as one territory since their merger', () => {
      const value = split({ lines: [{ amount: 1000, gstRate: 18 }], supplierState: '25', placeOfSupply: '26' });
      expect(value.supply).toBe('intra-state');
      expect(value.sgstLabel).toBe('UTGST');
    });

    it('charges IGST from a UT to a State', () => {
      const value = split({ lines: [{ amount: 1000, gstRate: 18 }], supplierState: '04', placeOfSupply: '03' });
      expect(value.supply).toBe('inter-state');
      expect(value.taxes.igst).toBe(180);
    });
  });

  it('treats 28 and 37 as Andhra Pradesh', () => {
    expect(split({ lines: [], supplierState: '37', placeOfSupply: '28' }).supply).toBe('intra-state');
  });

  it('accepts one-digit codes', () => {
    expect(split({ lines: [], supplierState: '4', placeOfSupply: '04' }).supply).toBe('intra-state');
  });

  it('charges IGST on exports (place of supply 96)', () => {
    const value = split({ lines: [{ amount: 1000, gstRate: 18 }], supplierState: '27', placeOfSupply: '96' });
    expect(value.supply).toBe('inter-state');
    expect(value.taxes.igst).toBe(180);
  });

  it('charges IGST on SEZ supplies inside one State', () => {
    const value = split({ lines: [{ amount: 1000, gstRate: 18 }], supplierState: '27', placeOfSupply: '27', sez: true });
    expect(value.supply).toBe('inter-state');
    expect(value.taxes).toEqual({ cgst: 0, sgst: 0, igst: 180 });
  });

  describe('round-off', () => {
    it('is 0 unless asked for', () => {
      const value = split({ lines: [{ amount: 1001, gstRate: 18 }], supplierState: '27', placeOfSupply: '27' });
      expect(value.roundOff).toBe(0);
      expect(value.total).toBe(1181);
    });

    it('rounds down below 50 paise', () => {
      const value = split({ lines: [{ amount: 1020, gstRate: 0 }], supplierState: '27', placeOfSupply: '27', roundOffToRupee: true });
      expect(value.roundOff).toBe(-20);
      expect(value.total).toBe(1000);
    });

    it('adds the round-off as a separate signed line', () => {
      // ₹10.01 + 90 + 90 paise = ₹11.81 → ₹12.00.
      const value = split({ lines: [{ amount: 1001, gstRate: 18 }], supplierState: '27', placeOfSupply: '27', roundOffToRupee: true });
      expect(value.roundOff).toBe(19);
      expect(value.total).toBe(1200);
      expect(value.subtotal + value.taxes.cgst + value.taxes.sgst + value.roundOff).toBe(value.total);
      expect(value.lines[0]?.total).toBe(1181);
    });

    it('rounds up at and above 50 paise', () => {
      const at = split({ lines: [{ amount: 1050, gstRate: 0 }], supplierState: '27', placeOfSupply: '27', roundOffToRupee: true });
      expect(at.roundOff).toBe(50);
      expect(at.total).toBe(1100);
      const above = split({ lines: [{ amount: 1099, gstRate: 0 }], supplierState: '27', placeOfSupply: '27', roundOffToRupee: true });
      expect(above.roundOff).toBe(1);
    });

    it('is 0 on whole rupees', () => {
      const value = split({ lines: [{ amount: LAKH_RUPEES, gstRate: 18 }], supplierState: '29', placeOfSupply: '27', roundOffToRupee: true });
      expect(value.roundOff).toBe(0);
      expect(value.total).toBe(11_800_000);
    });

    it('always leaves a whole rupee total within half a rupee', () => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ amount: fc.integer({ min: 0, max: 10 ** 12 }), gstRate: fc.constantFrom(0, 0.1, 0.25, 3, 5, 12, 18, 28, 40) }), { maxLength: 20 }),
          fc.boolean(),
          (lines, intra) => {
            const value = split({ lines, supplierState: '27', placeOfSupply: intra ? '27' : '29', roundOffToRupee: true });
            expect(value.total % 100).toBe(0);
            expect(Math.abs(value.roundOff)).toBeLessThanOrEqual(50);
            expect(value.subtotal + value.taxes.cgst + value.taxes.sgst + value.taxes.igst + value.roundOff).toBe(value.total);
            expect(value.taxes.cgst).toBe(value.taxes.sgst);
            expect(value.lines.reduce((sum, l) => sum + l.total, 0) + value.roundOff).toBe(value.total);
          },
        ),
      );
    });
  });

  it('returns zeros for an empty invoice', () => {
    const value = split({ lines: [], supplierState: '27', placeOfSupply: '27', roundOffToRupee: true });
    expect(value).toMatchObject({ subtotal: 0, taxes: { cgst: 0, sgst: 0, igst: 0 }, roundOff: 0, total: 0, lines: [] });
  });

  it('mirrors a negative line', () => {
    const value = split({ lines: [{ amount: -1003, gstRate: 18 }], supplierState: '27', placeOfSupply: '29' });
    expect(value.taxes.igst).toBe(-181);
  });

  describe('refuses bad input with a code', () => {
    it.each([
      [{ supplierState: '00' }, 'invalid-state-code'],
      [{ supplierState: '39' }, 'invalid-state-code'],
      [{ supplierState: '96' }, 'invalid-state-code'],
      [{ supplierState: '' }, 'invalid-state-code'],
      [{ supplierState: '027' }, 'invalid-state-code'],
      [{ supplierState: 27 as unknown as string }, 'invalid-state-code'],
      [{ placeOfSupply: 'MH' }, 'invalid-state-code'],
      [{ placeOfSupply: '99' }, 'invalid-state-code'],
      [{ lines: [{ amount: 10.5, gstRate: 18 }] }, 'invalid-amount'],
      [{ lines: [{ amount: Number.MAX_SAFE_INTEGER + 1, gstRate: 18 }] }, 'invalid-amount'],
      [{ lines: [{ amount: 100, gstRate: -1 }] }, 'invalid-gst-rate'],
      [{ lines: [{ amount: 100, gstRate: 101 }] }, 'invalid-gst-rate'],
      [{ lines: [{ amount: 100, gstRate: 0.125 }] }, 'invalid-gst-rate'],
      [{ lines: [{ amount: 100, gstRate: Number.NaN }] }, 'invalid-gst-rate'],
      [{ lines: [{ amount: Number.MAX_SAFE_INTEGER, gstRate: 18 }] }, 'out-of-range'],
      [{ lines: [{ amount: 2 ** 52, gstRate: 0 }, { amount: 2 ** 52, gstRate: 0 }] }, 'out-of-range'],
    ] as const)('%j → %s', (override, code) => {
      const result = gstSplit({ lines: [{ amount: 100, gstRate: 18 }], supplierState: '27', placeOfSupply: '27', ...override });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe(code);
    });
  });

  it('lists every code from 01 to 38, plus 96 and 97', () => {
    const expected = [...Array.from({ length: 38 }, (_, i) => String(i + 1).padStart(2, '0')), '96', '97'];
    expect([...GST_STATE_CODES.keys()]).toEqual(expected);
  });
});
