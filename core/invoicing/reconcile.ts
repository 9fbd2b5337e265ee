import { applyPayment, checkPayment, hasPayment } from './apply-payment.ts';
import type { IncomingPayment, PaymentApplication } from './apply-payment.ts';
import type { InvoiceDocument } from './invoice-types.ts';
import { refuse, succeed } from './invoicing-result.ts';
import type { InvoicingResult } from './invoicing-result.ts';
import { containsReference, normaliseClientName, normaliseReference } from './normalise-reference.ts';
import { isIssued } from './settle-invoice.ts';

/** A payment event to reconcile, with whatever it says about the payer. */
export interface PaymentToReconcile extends IncomingPayment {
  clientName?: string;
  clientGstin?: string;
}

/** A payment waiting for a person to match it (the review list). */
export interface UnmatchedPayment {
  status: 'unmatched' | 'resolved';
  /** `no_match`: nothing fits; `ambiguous`: several fit; `refused`: the matched invoice refused it. */
  reason: 'no_match' | 'ambiguous' | 'refused';
  message: string;
  payment: PaymentToReconcile;
  /** Invoice numbers that fit equally well, for `ambiguous`; the refusing invoice for `refused`. */
  candidates: string[];
  receivedAt: Date;
}

/** Where a payment went. */
export type ReconcileOutcome =
  | { status: 'matched'; matchedBy: 'reference' | 'amount_and_client'; invoiceNumber: string; application: PaymentApplication }
  | { status: 'duplicate'; invoiceNumber: string }
  | { status: 'unmatched'; review: UnmatchedPayment };

type Invoice = InvoiceDocument;

/**
 * Matches a payment to one of the tenant's invoices and applies it:
 * 1. by reference: the invoice number or the provider order id stored on the invoice, compared
 *    without case, spaces, slashes or dashes, either equal to the reference or a whole token in it;
 * 2. otherwise by exact amount (the open balance) and client (GSTIN when both sides have one,
 *    else the normalised name).
 * Anything else, or several equally good matches, goes to review as `unmatched`. A payment an
 * invoice holds already is reported as `duplicate` and changes nothing.
 */
export function reconcile(input: { payment: PaymentToReconcile; openInvoices: readonly Invoice[] }): InvoicingResult<ReconcileOutcome> {
  const { payment } = input;
  const issues = checkPayment(payment);
  if (issues.length > 0) return refuse(issues);
  const issued = input.openInvoices.filter(isIssued);

  const holder = issued.find((invoice) => hasPayment(invoice, payment));
  if (holder) return succeed({ status: 'duplicate', invoiceNumber: holder.number });

  const byReference = matchByReference(payment.reference, issued);
  if (byReference.length === 1) return apply(byReference[0]!, 'reference', payment);
  if (byReference.length > 1) {
    return unmatched(payment, 'ambiguous', `the reference fits ${byReference.length} invoices`, byReference);
  }

  if (payment.clientGstin === undefined && (payment.clientName === undefined || payment.clientName.trim() === '')) {
    return unmatched(payment, 'no_match', 'no invoice carries this reference, and the payer is unknown', []);
  }
  const gstin = payment.clientGstin?.trim().toUpperCase();
  const name = payment.clientName ? normaliseClientName(payment.clientName) : undefined;
  const byAmount = issued.filter((invoice) => {
    if (invoice.balance !== payment.amount || invoice.balance === 0) return false;
    if (gstin && invoice.client.gstin) return invoice.client.gstin === gstin;
    return name !== undefined && name !== '' && normaliseClientName(invoice.clientName) === name;
  });
  if (byAmount.length === 1) return apply(byAmount[0]!, 'amount_and_client', payment);
  if (byAmount.length > 1) {
    return unmatched(payment, 'ambiguous', `${byAmount.length} open invoices of this client have this amount due`, byAmount);
  }
  return unmatched(payment, 'no_match', 'no invoice carries this reference or has this amount due for this client', []);
}

function matchByReference(reference: string, invoices: readonly Invoice[]): Invoice[] {
  const wanted = normaliseReference(reference);
  if (wanted === '') return [];
  const keys = (invoice: Invoice): string[] =>
    invoice.providerOrderId ? [invoice.number, invoice.providerOrderId] : [invoice.number];
  const exact = invoices.filter((invoice) => keys(invoice).some((key) => normaliseReference(key) === wanted));
  if (exact.length > 0) return exact;
  return invoices.filter((invoice) => keys(invoice).some((key) => containsReference(reference, key)));
}

function apply(invoice: Invoice, matchedBy: 'reference' | 'amount_and_client', payment: PaymentToReconcile): InvoicingResult<ReconcileOutcome> {
  const { clientName: _name, clientGstin: _gstin, ...incoming } = payment;
  const applied = applyPayment(invoice, incoming);
  if (!applied.ok) return unmatched(payment, 'refused', applied.error.message, [invoice]);
  return succeed({ status: 'matched', matchedBy, invoiceNumber: invoice.number, application: applied.value });
}

function unmatched(
  payment: PaymentToReconcile,
  reason: UnmatchedPayment['reason'],
  message: string,
  candidates: readonly Invoice[],
): InvoicingResult<ReconcileOutcome> {
  return succeed({
    status: 'unmatched',
    review: {
      status: 'unmatched',
      reason,
      message,
      payment,
      candidates: candidates.map((c) => c.number),
      receivedAt: payment.receivedAt,
    },
  });
}
