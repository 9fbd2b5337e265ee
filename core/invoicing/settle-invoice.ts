import type { InvoiceDocument, InvoiceStatus } from './invoice-types.ts';

const ISSUED: ReadonlySet<InvoiceStatus> = new Set(['sent', 'partially_paid', 'paid', 'credited']);

/** True once an invoice was sent and not cancelled: it can take payments and credit notes. */
export function isIssued(invoice: Pick<InvoiceDocument, 'status'>): boolean {
  return ISSUED.has(invoice.status);
}

/**
 * Recomputes balance, overpayment and status from what was paid and credited. `at` becomes
 * `paidAt` when the invoice becomes settled by payment.
 */
export function settleInvoice(invoice: InvoiceDocument, at: Date): InvoiceDocument {
  const covered = invoice.amountPaid + invoice.amountCredited;
  const balance = Math.max(0, invoice.total - covered);
  const overpaid = Math.max(0, covered - invoice.total);
  let status = invoice.status;
  if (isIssued(invoice)) {
    if (balance > 0) status = invoice.amountPaid > 0 ? 'partially_paid' : 'sent';
    else status = invoice.amountPaid > 0 ? 'paid' : 'credited';
  }
  const settled: InvoiceDocument = { ...invoice, balance, overpaid, status };
  if (status === 'paid' && invoice.paidAt === undefined) settled.paidAt = at;
  if (status !== 'paid') delete settled.paidAt;
  return settled;
}
