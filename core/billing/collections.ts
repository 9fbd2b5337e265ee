import type { DomainEvent } from '../domain/index.ts';
import { invoicesCollection } from '../invoicing/index.ts';
import type { InvoiceDoc, PaymentRecord } from '../invoicing/index.ts';
import type { BaseDoc, CollectionDef } from '../store/index.ts';

/**
 * An invoice as billing stores it: the document core/invoicing builds, plus the domain events
 * its last write raised (relayed like every aggregate's outbox) and bookkeeping for generation,
 * scheduled sending and distribution.
 */
export type BillingInvoiceDoc = InvoiceDoc & {
  outbox?: DomainEvent[];
  /** The business key of an automatic generation (`<milestone>:<event>`), so a redelivered trigger makes no second invoice. */
  generationKey?: string;
  /** When a scheduled send is due. */
  scheduledSendAt?: Date;
  /** Each distribution request made for the invoice, with its delivery status as last known. */
  deliveries?: InvoiceDelivery[];
};

/**
 * One distribution of an invoice (or reminder) to one recipient on one channel. A request is
 * recorded `queued` under its `key`; once the notification settles, its entries become one per
 * channel tried, each `sent` or `failed` with the time and the error.
 */
export interface InvoiceDelivery {
  key: string;
  channel: string;
  to: string;
  kind: 'invoice' | 'reminder';
  status: 'queued' | 'sent' | 'delivered' | 'failed';
  at: Date;
  error?: string;
  /** The notification carrying it, for its full history. */
  notificationId?: string;
}

/** The same collection core/invoicing declares, typed with billing's fields. */
export const billingInvoicesCollection: CollectionDef<BillingInvoiceDoc> = {
  ...(invoicesCollection as unknown as CollectionDef<BillingInvoiceDoc>),
};

/** The tenant's invoicing settings and supplier details: one document, `_id` = {@link billingSettingsId}. */
export interface BillingSettingsDoc extends BaseDoc {
  supplier: { legalName?: string; gstin?: string; stateCode?: string; address?: string };
  settings: BillingSettings;
}

/** What a tenant chooses about its invoices. */
export interface BillingSettings {
  numbering?: { prefix?: string; fyStyle?: 'short' | 'long'; padding?: number; separator?: '/' | '-' };
  roundOffToRupee?: boolean;
  defaultHsnSac?: string;
  defaultGstRate?: number;
  defaultDueInDays?: number;
  requireApproval?: boolean;
  /** Generate invoices automatically on the workflow's invoicing trigger. @default true */
  autoInvoice?: boolean;
  /** The domain event that triggers generation. @default 'invoice.requested' (emitted on verify) */
  invoiceTrigger?: string;
  branding?: { logoDataUrl?: string; primaryColor?: string; footer?: string };
  template?: Record<string, unknown>;
  /** Days before and after the due day on which a payment reminder goes out. */
  reminders?: { beforeDueDays?: number[]; afterDueDays?: number[] };
}

/** The `_id` the first tenant of a store used; read still, and moved to {@link billingSettingsId} on the next save. */
export const BILLING_SETTINGS_ID = 'billing';

/** The `_id` of a tenant's billing document: ids are unique across a collection, not per tenant. */
export const billingSettingsId = (tenantId: string): string => `billing:${tenantId}`;

export const billingSettingsCollection: CollectionDef<BillingSettingsDoc> = { name: 'billing_settings', scope: 'tenant' };

/** A claim on an automatic generation's business key; `_id` is the key, so a second claim fails. */
export interface GenerationClaimDoc extends BaseDoc {
  invoiceId?: string;
  outcome?: string;
}

export const generationClaimsCollection: CollectionDef<GenerationClaimDoc> = { name: 'invoice_generation_claims', scope: 'tenant' };

/** Every payment received, matched or not: the payments ledger. */
export interface PaymentDoc extends BaseDoc {
  amount: number;
  reference: string;
  method: string;
  receivedAt: Date;
  source: string;
  clientName?: string;
  clientGstin?: string;
  /** `applied` to an invoice, held for `review`, or a `duplicate` of a payment already recorded. */
  status: 'applied' | 'review' | 'duplicate';
  invoiceId?: string;
  invoiceNumber?: string;
  matchedBy?: 'invoice' | 'reference' | 'amount_and_client' | 'review';
  outcome?: 'partial' | 'full' | 'overpaid';
  applied?: number;
  excess?: number;
  reviewId?: string;
  /** The provider's own id (`razorpay:pay_…`), unique per tenant when present. */
  externalId?: string;
}

export const paymentsCollection: CollectionDef<PaymentDoc> = {
  name: 'payments',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, invoiceId: 1 } }],
};

/** A payment reminder sent (or due) for an invoice; `_id` is `<invoice>:<before|after>:<days>`. */
export interface PaymentReminderDoc extends BaseDoc {
  invoiceId: string;
  invoiceNumber: string;
  milestoneId: string;
  trigger: 'payment_due_soon' | 'payment_overdue';
  /** Days before (negative) or after (positive) the due day. */
  offsetDays: number;
  balance: number;
  at: Date;
}

export const paymentRemindersCollection: CollectionDef<PaymentReminderDoc> = {
  name: 'payment_reminders',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, invoiceId: 1 } }],
};

export type { PaymentRecord };
