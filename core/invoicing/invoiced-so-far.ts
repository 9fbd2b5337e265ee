import type { InvoiceDocument } from './invoice-types.ts';

/**
 * Taxable value still invoiced on a milestone: the subtotals of its invoices that were not
 * cancelled, less what credit notes took back. Pass it as `alreadyInvoiced` for the next
 * partial invoice.
 */
export function invoicedSoFar(
  invoices: ReadonlyArray<Pick<InvoiceDocument, 'status' | 'subtotal' | 'creditNotes'>>,
): number {
  let sum = 0;
  for (const invoice of invoices) {
    if (invoice.status === 'cancelled') continue;
    sum += invoice.subtotal;
    for (const note of invoice.creditNotes ?? []) sum -= note.subtotal;
  }
  return sum;
}
