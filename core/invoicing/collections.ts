import type { BaseDoc, CollectionDef } from '../store/index.ts';
import type { CreditNoteDocument, InvoiceDocument } from './invoice-types.ts';
import type { UnmatchedPayment } from './reconcile.ts';

/** A per-tenant sequence; `key` is `{series}:{fy}`, e.g. `invoice:2026-27`. */
export interface InvoiceCounterDoc extends BaseDoc {
  key: string;
  seq: number;
}

export const invoiceCountersCollection: CollectionDef<InvoiceCounterDoc> = {
  name: 'invoice_counters',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, key: 1 }, unique: true }],
};

export type InvoiceDoc = BaseDoc & InvoiceDocument;

export const invoicesCollection: CollectionDef<InvoiceDoc> = {
  name: 'invoices',
  scope: 'tenant',
  indexes: [
    // Numbers carry their financial year, so one unique number per tenant is unique per FY.
    { fields: { tenantId: 1, number: 1 }, unique: true },
    { fields: { tenantId: 1, milestoneId: 1 } },
    { fields: { tenantId: 1, status: 1, dueDate: 1 } },
  ],
};

export type CreditNoteDoc = BaseDoc & CreditNoteDocument;

export const creditNotesCollection: CollectionDef<CreditNoteDoc> = {
  name: 'credit_notes',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, number: 1 }, unique: true }, { fields: { tenantId: 1, 'originalInvoice.number': 1 } }],
};

/** Payments no invoice could be matched to, waiting for someone to review them. */
export type PaymentReviewDoc = BaseDoc & UnmatchedPayment;

export const paymentReviewsCollection: CollectionDef<PaymentReviewDoc> = {
  name: 'payment_reviews',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, status: 1, receivedAt: 1 } }],
};
