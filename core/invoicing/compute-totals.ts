import { amountInWords, gstSplit, isPaise } from '../money/index.ts';
import type { GstSplitErrorCode } from '../money/index.ts';
import type { DocumentTotals, InvoiceLine, InvoiceLineInput, TaxOptions } from './invoice-types.ts';
import { refuse, succeed } from './invoicing-result.ts';
import type { InvoiceIssue, InvoiceIssueCode, InvoicingResult } from './invoicing-result.ts';

const HSN_SAC = /^(?:\d{4}|\d{6}|\d{8})$/;
const SPLIT_CODES: Record<GstSplitErrorCode, InvoiceIssueCode> = {
  'invalid-amount': 'invalid_amount',
  'invalid-gst-rate': 'invalid_gst_rate',
  'invalid-state-code': 'invalid_state_code',
  'out-of-range': 'out_of_range',
};

/** True for a 4, 6 or 8 digit HSN or SAC code written as a string. */
export function isHsnSac(value: unknown): value is string {
  return typeof value === 'string' && HSN_SAC.test(value);
}

/** Checks lines as callers give them; `path` prefixes each issue (`lines.0.taxableValue`). */
export function checkLineInputs(lines: unknown, path = 'lines'): InvoiceIssue[] {
  if (!Array.isArray(lines) || lines.length === 0) {
    return [{ path, code: 'invalid_lines', message: 'at least one line is required' }];
  }
  const issues: InvoiceIssue[] = [];
  lines.forEach((raw: unknown, i) => {
    const line = (raw ?? {}) as Partial<InvoiceLineInput>;
    const at = `${path}.${i}`;
    if (typeof line.description !== 'string' || line.description.trim() === '') {
      issues.push({ path: `${at}.description`, code: 'invalid_lines', message: `line ${i + 1} needs a description` });
    }
    if (line.hsnSac !== undefined && !isHsnSac(line.hsnSac)) {
      issues.push({ path: `${at}.hsnSac`, code: 'invalid_hsn_sac', message: `line ${i + 1}: HSN/SAC must be 4, 6 or 8 digits` });
    }
    if (!isPaise(line.taxableValue) || line.taxableValue <= 0) {
      issues.push({
        path: `${at}.taxableValue`,
        code: 'invalid_amount',
        message: `line ${i + 1}: the taxable value must be a positive whole number of paise`,
      });
    }
    issues.push(...checkGstRate(line.gstRate, `${at}.gstRate`));
  });
  return issues;
}

/** GST rates are percent with at most two decimals, from 0 to 100. */
export function checkGstRate(rate: unknown, path: string): InvoiceIssue[] {
  const ok =
    typeof rate === 'number' &&
    Number.isFinite(rate) &&
    rate >= 0 &&
    rate <= 100 &&
    Math.abs(rate * 100 - Math.round(rate * 100)) < 1e-6;
  return ok ? [] : [{ path, code: 'invalid_gst_rate', message: 'the GST rate must be a percentage from 0 to 100 with at most two decimals' }];
}

/**
 * Computes lines and totals through `gstSplit`: tax per line rounded half-up to the paisa,
 * CGST = SGST on intra-state supplies, IGST otherwise, and the optional round-off line.
 */
export function computeDocumentTotals(
  lines: readonly InvoiceLineInput[],
  context: { supplierState: string; placeOfSupply: string; taxOptions: TaxOptions },
): InvoicingResult<{ lines: InvoiceLine[]; totals: DocumentTotals }> {
  const issues = checkLineInputs(lines);
  if (issues.length > 0) return refuse(issues);
  const split = gstSplit({
    lines: lines.map((l) => ({ amount: l.taxableValue, gstRate: l.gstRate })),
    supplierState: context.supplierState,
    placeOfSupply: context.placeOfSupply,
    sez: context.taxOptions.sez,
    roundOffToRupee: context.taxOptions.roundOffToRupee,
  });
  if (!split.ok) return refuse([{ path: 'lines', code: SPLIT_CODES[split.error.code], message: split.error.message }]);
  const s = split.value;
  const computed: InvoiceLine[] = lines.map((line, i) => {
    const taxed = s.lines[i]!;
    return {
      lineNo: i + 1,
      description: line.description.trim(),
      ...(line.hsnSac !== undefined ? { hsnSac: line.hsnSac } : {}),
      taxableValue: line.taxableValue,
      gstRate: line.gstRate,
      cgst: taxed.cgst,
      sgst: taxed.sgst,
      igst: taxed.igst,
      tax: taxed.tax,
      total: taxed.total,
    };
  });
  return succeed({
    lines: computed,
    totals: {
      supply: s.supply,
      sgstLabel: s.sgstLabel,
      subtotal: s.subtotal,
      taxes: s.taxes,
      taxTotal: s.taxes.cgst + s.taxes.sgst + s.taxes.igst,
      roundOff: s.roundOff,
      total: s.total,
      amountInWords: amountInWords(s.total),
    },
  });
}
