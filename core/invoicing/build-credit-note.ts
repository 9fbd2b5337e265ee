import { dateInZone, financialYear, isPaise, isValidTimeZone } from '../money/index.ts';
import { computeDocumentTotals } from './compute-totals.ts';
import type { CreditNoteDocument, CreditNoteRef, InvoiceDocument, InvoiceLineInput } from './invoice-types.ts';
import { refuse, refuseOne, succeed } from './invoicing-result.ts';
import type { InvoiceIssue, InvoicingResult } from './invoicing-result.ts';
import { checkDocumentNumber } from './numbering-scheme.ts';
import { isIssued, settleInvoice } from './settle-invoice.ts';

/** What a credit note takes back. Without `amount` or `lines` it credits everything still open. */
export interface CreditNoteInput {
  reason: string;
  /** From the credit note series (`CN/26-27/000001`). */
  number: string;
  issueDate: Date;
  /** @default the invoice's zone */
  timeZone?: string;
  /**
   * The taxable value to credit (before GST), in paise, spread over the invoice's lines in
   * proportion to what each still carries; the note adds the GST on it.
   */
  amount?: number;
  /** Taxable value to credit per invoice line. */
  lines?: Array<{ lineNo: number; taxableValue: number }>;
}

/**
 * Builds a GST credit note against a sent invoice (CGST Act s.34): a separate document in its own
 * number series, positive amounts, referencing the invoice's number and date, with the tax on the
 * credited taxable value computed as on the invoice. Refused for invoices never sent (amend or
 * cancel those), beyond what is left to credit, and after 30 November following the end of the
 * invoice's financial year.
 */
export function buildCreditNote(invoice: InvoiceDocument, input: CreditNoteInput): InvoicingResult<CreditNoteDocument> {
  if (!isIssued(invoice)) {
    return refuseOne(
      'invoice_not_sent',
      `invoice ${invoice.number} is ${invoice.status}; ${invoice.status === 'cancelled' ? 'it is cancelled' : 'amend or cancel it instead'}`,
      'status',
    );
  }
  const issues: InvoiceIssue[] = [];
  const numberIssue = checkDocumentNumber(input.number);
  if (numberIssue) issues.push(numberIssue);
  if (typeof input.reason !== 'string' || input.reason.trim() === '') {
    issues.push({ path: 'reason', code: 'reason_required', message: 'a credit note needs a reason' });
  }
  const timeZone = input.timeZone ?? invoice.timeZone;
  if (!isValidTimeZone(timeZone)) issues.push({ path: 'timeZone', code: 'invalid_time_zone', message: `'${String(timeZone)}' is not a known time zone` });
  const validDate = input.issueDate instanceof Date && !Number.isNaN(input.issueDate.getTime());
  if (!validDate) issues.push({ path: 'issueDate', code: 'invalid_date', message: 'the issue date must be a valid date' });
  if (issues.length > 0) return refuse(issues);

  const issuedOn = dateInZone(input.issueDate, timeZone);
  if (issuedOn < invoice.issuedOn) {
    return refuseOne('invalid_date', `a credit note cannot predate invoice ${invoice.number} of ${invoice.issuedOn}`, 'issueDate');
  }
  const deadline = `${Number(invoice.financialYear.slice(0, 4)) + 1}-11-30`;
  if (issuedOn > deadline) {
    return refuseOne(
      'credit_note_too_late',
      `credit notes for invoices of FY ${invoice.financialYear} must be issued by ${deadline}`,
      'issueDate',
    );
  }

  const credits = creditPerLine(invoice, input);
  if (!credits.ok) return credits;
  const byLine = new Map(invoice.lines.map((l) => [l.lineNo, l]));
  const inputs: Array<InvoiceLineInput & { invoiceLineNo: number }> = credits.value.map(({ lineNo, taxableValue }) => {
    const line = byLine.get(lineNo)!;
    return {
      invoiceLineNo: lineNo,
      description: line.description,
      ...(line.hsnSac !== undefined ? { hsnSac: line.hsnSac } : {}),
      taxableValue,
      gstRate: line.gstRate,
    };
  });
  const computed = computeDocumentTotals(inputs, {
    supplierState: invoice.supplier.stateCode,
    placeOfSupply: invoice.placeOfSupply.code,
    taxOptions: invoice.taxOptions,
  });
  if (!computed.ok) return computed;

  return succeed({
    documentType: 'credit_note',
    number: input.number,
    financialYear: financialYear(input.issueDate, timeZone).label,
    status: 'issued',
    originalInvoice: {
      number: invoice.number,
      issueDate: invoice.issueDate,
      issuedOn: invoice.issuedOn,
      financialYear: invoice.financialYear,
      milestoneId: invoice.milestoneId,
    },
    reason: input.reason.trim(),
    supplier: invoice.supplier,
    client: invoice.client,
    clientName: invoice.clientName,
    placeOfSupply: invoice.placeOfSupply,
    taxOptions: invoice.taxOptions,
    currency: 'INR',
    issueDate: input.issueDate,
    issuedOn,
    timeZone,
    lines: computed.value.lines.map((line, i) => ({ ...line, invoiceLineNo: inputs[i]!.invoiceLineNo })),
    ...computed.value.totals,
  });
}

/** Taxable value each invoice line still carries after earlier credit notes. */
function remainingPerLine(invoice: InvoiceDocument): Map<number, number> {
  const remaining = new Map(invoice.lines.map((l) => [l.lineNo, l.taxableValue]));
  for (const note of invoice.creditNotes) {
    for (const l of note.lines) remaining.set(l.lineNo, (remaining.get(l.lineNo) ?? 0) - l.taxableValue);
  }
  return remaining;
}

function creditPerLine(
  invoice: InvoiceDocument,
  input: CreditNoteInput,
): InvoicingResult<Array<{ lineNo: number; taxableValue: number }>> {
  const remaining = remainingPerLine(invoice);
  const open = [...remaining].filter(([, value]) => value > 0);
  const openTotal = open.reduce((sum, [, value]) => sum + value, 0);
  if (openTotal <= 0) return refuseOne('credit_exceeds_invoice', `invoice ${invoice.number} has been credited in full already`);

  if (input.lines !== undefined && input.amount !== undefined) {
    return refuseOne('invalid_lines', 'give either an amount or lines to credit, not both', 'amount');
  }
  if (input.lines !== undefined) {
    if (!Array.isArray(input.lines) || input.lines.length === 0) return refuseOne('invalid_lines', 'at least one line to credit is required', 'lines');
    const issues: InvoiceIssue[] = [];
    const seen = new Set<number>();
    input.lines.forEach((l, i) => {
      const left = remaining.get(l?.lineNo);
      if (left === undefined || seen.has(l.lineNo)) {
        issues.push({ path: `lines.${i}.lineNo`, code: 'invalid_lines', message: `line ${String(l?.lineNo)} is not on the invoice or is listed twice` });
      } else if (!isPaise(l.taxableValue) || l.taxableValue <= 0) {
        issues.push({ path: `lines.${i}.taxableValue`, code: 'invalid_amount', message: 'the credited value must be a positive whole number of paise' });
      } else if (l.taxableValue > left) {
        issues.push({
          path: `lines.${i}.taxableValue`,
          code: 'credit_exceeds_invoice',
          message: `line ${l.lineNo} has ${left} paise of taxable value left to credit`,
        });
      }
      if (typeof l?.lineNo === 'number') seen.add(l.lineNo);
    });
    if (issues.length > 0) return refuse(issues);
    return succeed(input.lines.map(({ lineNo, taxableValue }) => ({ lineNo, taxableValue })));
  }
  if (input.amount === undefined) return succeed(open.map(([lineNo, taxableValue]) => ({ lineNo, taxableValue })));
  if (!isPaise(input.amount) || input.amount <= 0) {
    return refuseOne('invalid_amount', 'the amount to credit must be a positive whole number of paise', 'amount');
  }
  if (input.amount > openTotal) {
    return refuseOne('credit_exceeds_invoice', `invoice ${invoice.number} has ${openTotal} paise of taxable value left to credit`, 'amount');
  }
  return succeed(spread(input.amount, open).filter((l) => l.taxableValue > 0));
}

/** Splits `amount` over lines in proportion to their weights; leftover paise go to the largest remainders. */
function spread(amount: number, weights: ReadonlyArray<[number, number]>): Array<{ lineNo: number; taxableValue: number }> {
  const total = BigInt(weights.reduce((sum, [, w]) => sum + w, 0));
  const parts = weights.map(([lineNo, weight]) => {
    const exact = BigInt(amount) * BigInt(weight);
    return { lineNo, taxableValue: Number(exact / total), remainder: exact % total };
  });
  let left = amount - parts.reduce((sum, p) => sum + p.taxableValue, 0);
  const order = [...parts].sort((a, b) => (b.remainder > a.remainder ? 1 : b.remainder < a.remainder ? -1 : a.lineNo - b.lineNo));
  for (const part of order) {
    if (left <= 0) break;
    part.taxableValue += 1;
    left -= 1;
  }
  return parts.map(({ lineNo, taxableValue }) => ({ lineNo, taxableValue }));
}

/**
 * Records an issued credit note on the invoice it credits: the credited total reduces the
 * balance; anything already paid beyond the new total shows as `overpaid` (owed back).
 */
export function applyCreditNote(invoice: InvoiceDocument, note: CreditNoteDocument): InvoicingResult<InvoiceDocument> {
  if (note.originalInvoice.number !== invoice.number) {
    return refuseOne('credit_note_mismatch', `credit note ${note.number} credits ${note.originalInvoice.number}, not ${invoice.number}`);
  }
  if (invoice.creditNotes.some((c) => c.number === note.number)) {
    return refuseOne('duplicate_credit_note', `credit note ${note.number} is recorded on ${invoice.number} already`);
  }
  const ref: CreditNoteRef = {
    number: note.number,
    issueDate: note.issueDate,
    issuedOn: note.issuedOn,
    reason: note.reason,
    subtotal: note.subtotal,
    total: note.total,
    lines: note.lines.map((l) => ({ lineNo: l.invoiceLineNo, taxableValue: l.taxableValue })),
  };
  return succeed(
    settleInvoice(
      { ...invoice, creditNotes: [...invoice.creditNotes, ref], amountCredited: invoice.amountCredited + note.total },
      note.issueDate,
    ),
  );
}
