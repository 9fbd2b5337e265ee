import type { FinancialYear } from '../money/index.ts';
import type { TenantStore } from '../store/index.ts';
import { invoiceCountersCollection } from './collections.ts';
import { refuse, refuseOne, succeed } from './invoicing-result.ts';
import type { InvoicingResult } from './invoicing-result.ts';
import {
  DEFAULT_CREDIT_NOTE_NUMBERING,
  DEFAULT_INVOICE_NUMBERING,
  formatDocumentNumber,
  parseFinancialYear,
  resolveNumberingScheme,
} from './numbering-scheme.ts';
import type { NumberingScheme } from './numbering-scheme.ts';

/** Options of {@link nextInvoiceNumber}: the year, the series, and the scheme's overrides. */
export interface NextNumberOptions extends Partial<NumberingScheme> {
  /** `2026-27`, or a {@link FinancialYear} (see `financialYear` in core/money). */
  fy: string | FinancialYear;
  /** The counter's series; numbers of one series never repeat within a year. @default 'invoice' */
  series?: string;
}

/** A number taken from a series. */
export interface IssuedNumber {
  number: string;
  seq: number;
  financialYear: string;
  series: string;
}

const SERIES = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * Takes the next number of a tenant's series for a financial year. The counter is one document
 * per series and year, advanced with an atomic `$inc` upsert under a unique `{tenantId, key}`
 * index, so concurrent callers (and processes, on MongoDB) never receive the same number.
 */
export async function nextInvoiceNumber(db: TenantStore, options: NextNumberOptions): Promise<InvoicingResult<IssuedNumber>> {
  const reserved = await reserveInvoiceNumbers(db, { ...options, count: 1 });
  return reserved.ok ? succeed(reserved.value[0] as IssuedNumber) : reserved;
}

/**
 * Takes `count` consecutive numbers in one atomic step, for batches. A refused batch (a number
 * that would not fit GST's 16 characters) consumes nothing only when the refusal comes before
 * the counter moves; check the scheme with `resolveNumberingScheme` when configuring it.
 */
export async function reserveInvoiceNumbers(
  db: TenantStore,
  options: NextNumberOptions & { count: number },
): Promise<InvoicingResult<IssuedNumber[]>> {
  const { fy, series = 'invoice', count, ...overrides } = options;
  const year = parseFinancialYear(fy);
  if (!year) return refuseOne('invalid_financial_year', 'fy must be a financial year like 2026-27', 'fy');
  if (typeof series !== 'string' || !SERIES.test(series)) {
    return refuseOne('invalid_numbering_scheme', 'series must be lower-case letters, digits and -', 'series');
  }
  if (!Number.isSafeInteger(count) || count < 1) return refuseOne('out_of_range', 'count must be a positive integer', 'count');
  const scheme = resolveNumberingScheme(overrides, series === 'credit-note' ? DEFAULT_CREDIT_NOTE_NUMBERING : DEFAULT_INVOICE_NUMBERING);
  if (!scheme.ok) return scheme;
  // Refuse before moving the counter when even the first number could not fit.
  const probe = formatDocumentNumber(scheme.value, year, 1);
  if (!probe.ok) return probe;

  const key = `${series}:${year.label}`;
  const counter = await db
    .collection(invoiceCountersCollection)
    .findOneAndUpdate({ key }, { $inc: { seq: count } }, { upsert: true, returnDocument: 'after' });
  const last = counter?.seq;
  if (typeof last !== 'number') throw new Error(`counter ${key} did not return its sequence`);

  const issued: IssuedNumber[] = [];
  for (let seq = last - count + 1; seq <= last; seq += 1) {
    const number = formatDocumentNumber(scheme.value, year, seq);
    if (!number.ok) return refuse(number.error.issues);
    issued.push({ number: number.value, seq, financialYear: year.label, series });
  }
  return succeed(issued);
}

/** The next credit note number: series `credit-note`, `CN/26-27/000001` by default. */
export function nextCreditNoteNumber(
  db: TenantStore,
  options: Omit<NextNumberOptions, 'series'>,
): Promise<InvoicingResult<IssuedNumber>> {
  return nextInvoiceNumber(db, { ...options, series: 'credit-note' });
}
