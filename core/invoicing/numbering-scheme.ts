import type { FinancialYear } from '../money/index.ts';
import { refuseOne, succeed } from './invoicing-result.ts';
import type { InvoiceIssue, InvoicingResult } from './invoicing-result.ts';

/**
 * How a tenant's document numbers look: `{prefix}{sep}{fy}{sep}{seq}`, e.g. `INV/26-27/000123`.
 * GST (rule 46(b)) allows at most 16 characters, letters, digits, `/` and `-`, unique per FY.
 */
export interface NumberingScheme {
  prefix: string;
  /** `short`: `26-27`; `long`: `2026-27`. */
  fyStyle: 'short' | 'long';
  /** Digits the sequence is zero-padded to. */
  padding: number;
  separator: '/' | '-';
}

/** GST's limit on the length of an invoice or credit note number. */
export const MAX_DOCUMENT_NUMBER_LENGTH = 16;

/** `INV/26-27/000123`: 16 characters at six digits, so a million numbers a year fit. */
export const DEFAULT_INVOICE_NUMBERING: Readonly<NumberingScheme> = Object.freeze({
  prefix: 'INV',
  fyStyle: 'short',
  padding: 6,
  separator: '/',
});

/** `CN/26-27/000012`. */
export const DEFAULT_CREDIT_NOTE_NUMBERING: Readonly<NumberingScheme> = Object.freeze({
  prefix: 'CN',
  fyStyle: 'short',
  padding: 6,
  separator: '/',
});

const NUMBER_CHARS = /^[A-Za-z0-9/-]+$/;
const FY_LABEL = /^(\d{4})-(\d{2})$/;

/**
 * Checks a document number against GST's rules: 1–16 characters, only letters, digits, `/` and
 * `-`, with at least one letter or digit.
 */
export function checkDocumentNumber(number: unknown, path = 'number'): InvoiceIssue | undefined {
  if (typeof number !== 'string' || number.length === 0) {
    return { path, code: 'invalid_number', message: 'a document number is required' };
  }
  if (number.length > MAX_DOCUMENT_NUMBER_LENGTH) {
    return {
      path,
      code: 'number_too_long',
      message: `'${number}' has ${number.length} characters; GST allows at most ${MAX_DOCUMENT_NUMBER_LENGTH}`,
    };
  }
  if (!NUMBER_CHARS.test(number) || !/[A-Za-z0-9]/.test(number)) {
    return { path, code: 'invalid_number', message: `'${number}' may contain only letters, digits, '/' and '-'` };
  }
  return undefined;
}

/** A financial year from its label (`2026-27`) or from {@link FinancialYear}. */
export function parseFinancialYear(fy: string | FinancialYear): FinancialYear | undefined {
  const label = typeof fy === 'string' ? fy : fy?.label;
  const match = typeof label === 'string' ? FY_LABEL.exec(label) : null;
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = start + 1;
  const two = (y: number): string => String(y % 100).padStart(2, '0');
  if (match[2] !== two(end)) return undefined;
  return { start, end, label: `${start}-${two(end)}`, short: `${two(start)}-${two(end)}` };
}

/** Fills a partial scheme with defaults and checks that its widest number fits GST's limit. */
export function resolveNumberingScheme(
  scheme: Partial<NumberingScheme> = {},
  defaults: Readonly<NumberingScheme> = DEFAULT_INVOICE_NUMBERING,
): InvoicingResult<NumberingScheme> {
  const resolved: NumberingScheme = {
    prefix: scheme.prefix ?? defaults.prefix,
    fyStyle: scheme.fyStyle ?? defaults.fyStyle,
    padding: scheme.padding ?? defaults.padding,
    separator: scheme.separator ?? defaults.separator,
  };
  const bad = (message: string) => refuseOne('invalid_numbering_scheme', message, 'numbering');
  if (typeof resolved.prefix !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9/-]*$/.test(resolved.prefix)) {
    return bad('the prefix must start with a letter or digit and contain only letters, digits, / and -');
  }
  if (resolved.fyStyle !== 'short' && resolved.fyStyle !== 'long') return bad("fyStyle must be 'short' or 'long'");
  if (resolved.separator !== '/' && resolved.separator !== '-') return bad("the separator must be '/' or '-'");
  if (!Number.isInteger(resolved.padding) || resolved.padding < 1 || resolved.padding > 12) {
    return bad('padding must be a whole number of digits from 1 to 12');
  }
  const widest = resolved.prefix.length + (resolved.fyStyle === 'short' ? 5 : 7) + 2 + resolved.padding;
  if (widest > MAX_DOCUMENT_NUMBER_LENGTH) {
    return bad(
      `numbers would have ${widest} characters (${resolved.prefix}${resolved.separator}` +
        `${resolved.fyStyle === 'short' ? '26-27' : '2026-27'}${resolved.separator}${'0'.repeat(resolved.padding)}); ` +
        `GST allows at most ${MAX_DOCUMENT_NUMBER_LENGTH}: shorten the prefix, use the short year or less padding`,
    );
  }
  return succeed(resolved);
}

/**
 * The document number for a sequence value.
 *
 * @example formatDocumentNumber(DEFAULT_INVOICE_NUMBERING, '2026-27', 123) // { ok: true, value: 'INV/26-27/000123' }
 */
export function formatDocumentNumber(scheme: NumberingScheme, fy: string | FinancialYear, seq: number): InvoicingResult<string> {
  const year = parseFinancialYear(fy);
  if (!year) return refuseOne('invalid_financial_year', `'${String(typeof fy === 'string' ? fy : fy?.label)}' is not a financial year like 2026-27`, 'fy');
  if (!Number.isSafeInteger(seq) || seq < 1) return refuseOne('out_of_range', 'the sequence must be a positive integer', 'seq');
  const { prefix, separator, padding, fyStyle } = scheme;
  const number = [prefix, fyStyle === 'short' ? year.short : year.label, String(seq).padStart(padding, '0')].join(separator);
  const issue = checkDocumentNumber(number);
  return issue ? refuseOne(issue.code, issue.message, issue.path) : succeed(number);
}
