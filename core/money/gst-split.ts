import { GST_STATE_CODES } from './gst-state-codes.ts';
import type { GstStateCode } from './gst-state-codes.ts';
import { isPaise } from './is-paise.ts';
import { fail, ok } from './money-result.ts';
import type { MoneyResult } from './money-result.ts';
import { roundDiv } from './round-div.ts';
import { toSafePaise } from './to-safe-paise.ts';

/** One invoice line for {@link gstSplit}. */
export interface GstLineInput {
  /** Taxable value in paise, after discounts. */
  amount: number;
  /** GST rate in percent, at most two decimals: 0, 0.1, 0.25, 3, 5, 12, 18, 28, 40… */
  gstRate: number;
}

/** Input of {@link gstSplit}. */
export interface GstSplitInput {
  lines: readonly GstLineInput[];
  /** Two-digit GST state code of the supplier (the first two characters of its GSTIN). */
  supplierState: string;
  /** Two-digit GST state code of the place of supply; `96` for a supply outside India. */
  placeOfSupply: string;
  /** Supplies to or by an SEZ are inter-state by law even inside one State. @default false */
  sez?: boolean;
  /** Add a `roundOff` line so `total` is whole rupees (ties round away from zero). @default false */
  roundOffToRupee?: boolean;
}

/** Taxes in paise. `sgst` holds UTGST when `sgstLabel` is `UTGST`. */
export interface GstTaxes {
  cgst: number;
  sgst: number;
  igst: number;
}

/** One line of a {@link GstSplit}, with its own taxes. */
export interface GstLine extends GstTaxes {
  amount: number;
  gstRate: number;
  /** cgst + sgst + igst of this line. */
  tax: number;
  /** amount + tax of this line. */
  total: number;
}

/** The taxes of an invoice, exact to the paisa. */
export interface GstSplit {
  supply: 'intra-state' | 'inter-state';
  /**
   * What to print for the `sgst` column: `UTGST` when the place of supply is a Union Territory
   * without a legislature (04, 25/26, 31, 35, 38, 97), otherwise `SGST`.
   */
  sgstLabel: 'SGST' | 'UTGST';
  /** Sum of the lines' taxable values. */
  subtotal: number;
  taxes: GstTaxes;
  /** Signed paise added so `total` is whole rupees; 0 unless `roundOffToRupee` was asked. */
  roundOff: number;
  /** subtotal + all taxes + roundOff. */
  total: number;
  lines: GstLine[];
}

/** Why {@link gstSplit} refused its input. */
export type GstSplitErrorCode = 'invalid-amount' | 'invalid-gst-rate' | 'invalid-state-code' | 'out-of-range';

/**
 * Splits the GST on an invoice into CGST + SGST/UTGST (intra-state) or IGST (inter-state).
 *
 * Rounding rule: tax is computed per line and rounded half-up (ties away from zero) to the paisa;
 * invoice taxes are the sums of the line taxes. Intra-state lines compute CGST and SGST each at
 * half the rate, so the two are always equal, and may differ by a paisa from the IGST the same
 * line would carry. Rounding to the rupee happens only as the separate `roundOff` line.
 *
 * Codes 25 and 26 count as one territory (merged in 2020), as do 28 and 37 (Andhra Pradesh).
 *
 * @example
 * gstSplit({ lines: [{ amount: 10_000_000, gstRate: 18 }], supplierState: '29', placeOfSupply: '29' })
 * // value.taxes → { cgst: 900_000, sgst: 900_000, igst: 0 }
 */
export function gstSplit(input: GstSplitInput): MoneyResult<GstSplit, GstSplitErrorCode> {
  const supplier = stateOf(input.supplierState);
  if (!supplier || supplier.kind === 'foreign') {
    return fail('invalid-state-code', `unknown supplier state code: ${String(input.supplierState)}`);
  }
  const destination = stateOf(input.placeOfSupply);
  if (!destination) return fail('invalid-state-code', `unknown place-of-supply state code: ${String(input.placeOfSupply)}`);

  const intraState = !input.sez && destination.kind !== 'foreign' && territoryOf(supplier) === territoryOf(destination);
  const lines: GstLine[] = [];
  let subtotal = 0n;
  const sums = { cgst: 0n, sgst: 0n, igst: 0n };
  for (const [index, line] of input.lines.entries()) {
    if (!isPaise(line.amount)) return fail('invalid-amount', `line ${index + 1}: amount must be a safe integer of paise`);
    const rate = rateInBasisPoints(line.gstRate);
    if (rate === undefined) {
      return fail('invalid-gst-rate', `line ${index + 1}: GST rate must be 0–100 percent with at most two decimals`);
    }
    const amount = BigInt(line.amount);
    const half = intraState ? roundDiv(amount * rate, 20_000n, 'half-up') : 0n;
    const igst = intraState ? 0n : roundDiv(amount * rate, 10_000n, 'half-up');
    const tax = 2n * half + igst;
    const lineTotal = toSafePaise(amount + tax);
    if (lineTotal === undefined) return fail('out-of-range', `line ${index + 1}: total exceeds the supported range`);
    lines.push({
      amount: line.amount,
      gstRate: line.gstRate,
      cgst: Number(half),
      sgst: Number(half),
      igst: Number(igst),
      tax: Number(tax),
      total: lineTotal,
    });
    subtotal += amount;
    sums.cgst += half;
    sums.sgst += half;
    sums.igst += igst;
  }

  const beforeRoundOff = subtotal + sums.cgst + sums.sgst + sums.igst;
  const roundOff = input.roundOffToRupee ? roundDiv(beforeRoundOff, 100n, 'half-up') * 100n - beforeRoundOff : 0n;
  const checked = safeNumbers({ ...sums, subtotal, total: beforeRoundOff + roundOff });
  if (!checked) return fail('out-of-range', 'invoice total exceeds the supported range');

  return ok({
    supply: intraState ? 'intra-state' : 'inter-state',
    sgstLabel: destination.kind === 'ut' ? 'UTGST' : 'SGST',
    subtotal: checked.subtotal,
    taxes: { cgst: checked.cgst, sgst: checked.sgst, igst: checked.igst },
    roundOff: Number(roundOff),
    total: checked.total,
    lines,
  });
}

function safeNumbers<K extends string>(values: Record<K, bigint>): Record<K, number> | undefined {
  const result = {} as Record<K, number>;
  for (const key of Object.keys(values) as K[]) {
    const value = toSafePaise(values[key]);
    if (value === undefined) return undefined;
    result[key] = value;
  }
  return result;
}

function stateOf(code: unknown): GstStateCode | undefined {
  if (typeof code !== 'string' || !/^\d{1,2}$/.test(code)) return undefined;
  return GST_STATE_CODES.get(code.padStart(2, '0'));
}

function territoryOf(state: GstStateCode): string {
  return state.sameAs ?? state.code;
}

// Percent with two decimals is an exact count of basis points; anything finer is a typo.
function rateInBasisPoints(rate: unknown): bigint | undefined {
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 100) return undefined;
  const basisPoints = Math.round(rate * 100);
  if (Math.abs(rate * 100 - basisPoints) > 1e-6) return undefined;
  return BigInt(basisPoints);
}
