import { isPaise } from '../money/index.ts';
import type { InvoiceDocument, PaymentRecord } from './invoice-types.ts';
import { refuse, refuseOne, succeed } from './invoicing-result.ts';
import type { InvoiceIssue, InvoicingResult } from './invoicing-result.ts';
import { normaliseReference } from './normalise-reference.ts';
import { settleInvoice } from './settle-invoice.ts';

/** A payment as it arrives: from Razorpay, QuickBooks, a bank statement or a person. */
export interface IncomingPayment {
  id?: string;
  /** Paise. */
  amount: number;
  reference: string;
  /** `upi`, `neft`, `rtgs`, `imps`, `cheque`, `cash`, `card`, `razorpay`… */
  method: string;
  receivedAt: Date;
  source?: string;
}

/** What a payment did to an invoice. */
export interface PaymentApplication {
  invoice: InvoiceDocument;
  /** `partial`: a balance remains; `full`: settled exactly; `overpaid`: settled with money left over. */
  outcome: 'partial' | 'full' | 'overpaid';
  /** Paise that reduced the balance. */
  applied: number;
  /** Paise beyond the balance, recorded as the invoice's `overpaid`. */
  excess: number;
  /** The balance after the payment. */
  balance: number;
}

/** Checks a payment's own fields. */
export function checkPayment(payment: IncomingPayment): InvoiceIssue[] {
  const issues: InvoiceIssue[] = [];
  if (!payment || typeof payment !== 'object') return [{ path: 'payment', code: 'invalid_amount', message: 'a payment is required' }];
  if (!isPaise(payment.amount) || payment.amount <= 0) {
    issues.push({ path: 'amount', code: 'invalid_amount', message: 'the payment amount must be a positive whole number of paise' });
  }
  if (typeof payment.reference !== 'string' || payment.reference.trim() === '') {
    issues.push({ path: 'reference', code: 'invalid_lines', message: 'a payment needs a reference (UTR, cheque number, provider payment id)' });
  }
  if (typeof payment.method !== 'string' || payment.method.trim() === '') {
    issues.push({ path: 'method', code: 'invalid_method', message: 'a payment needs a method' });
  }
  if (!(payment.receivedAt instanceof Date) || Number.isNaN(payment.receivedAt.getTime())) {
    issues.push({ path: 'receivedAt', code: 'invalid_date', message: 'the receipt time must be a valid date' });
  }
  return issues;
}

/** True when the invoice already holds this payment (same id, or same reference, method and amount). */
export function hasPayment(invoice: Pick<InvoiceDocument, 'payments'>, payment: IncomingPayment): boolean {
  const reference = normaliseReference(payment.reference);
  return invoice.payments.some((p) =>
    payment.id !== undefined && p.id !== undefined
      ? p.id === payment.id
      : normaliseReference(p.reference) === reference && p.method === payment.method && p.amount === payment.amount,
  );
}

/**
 * Records a payment against a sent invoice: partial, full or overpaid, with the balance after.
 * The same payment twice is refused as `duplicate_payment`, so redelivered events are harmless.
 */
export function applyPayment(invoice: InvoiceDocument, payment: IncomingPayment): InvoicingResult<PaymentApplication> {
  if (invoice.status === 'draft' || invoice.status === 'approved') {
    return refuseOne('invoice_not_sent', `invoice ${invoice.number} has not been sent yet`, 'status');
  }
  if (invoice.status === 'cancelled') return refuseOne('invoice_closed', `invoice ${invoice.number} is cancelled`, 'status');
  const issues = checkPayment(payment);
  if (issues.length > 0) return refuse(issues);
  if (hasPayment(invoice, payment)) {
    return refuseOne('duplicate_payment', `payment ${payment.reference} is recorded on ${invoice.number} already`, 'reference');
  }
  const applied = Math.min(payment.amount, invoice.balance);
  const excess = payment.amount - applied;
  const record: PaymentRecord = {
    ...(payment.id !== undefined ? { id: payment.id } : {}),
    amount: payment.amount,
    reference: payment.reference.trim(),
    method: payment.method.trim(),
    receivedAt: payment.receivedAt,
    ...(payment.source !== undefined ? { source: payment.source } : {}),
    applied,
    excess,
  };
  const updated = settleInvoice(
    { ...invoice, payments: [...invoice.payments, record], amountPaid: invoice.amountPaid + payment.amount },
    payment.receivedAt,
  );
  const outcome = excess > 0 ? 'overpaid' : updated.balance === 0 ? 'full' : 'partial';
  return succeed({ invoice: updated, outcome, applied, excess, balance: updated.balance });
}
