import { createHash } from 'node:crypto';
import { z } from 'zod';
import { failWith, invalid, succeed, type DomainContext, type DomainResult } from '../domain/index.ts';
import {
  applyPayment,
  checkPayment,
  hasPayment,
  paymentReviewsCollection,
  reconcile,
  type PaymentApplication,
  type PaymentReviewDoc,
  type PaymentToReconcile,
} from '../invoicing/index.ts';
import { milestonesCollection } from '../milestones/index.ts';
import { DuplicateKeyError, newId } from '../store/index.ts';
import { billingInvoicesCollection, paymentsCollection, type BillingInvoiceDoc, type PaymentDoc } from './collections.ts';
import { changeInvoice, invoicingProblem } from './invoice-writes.ts';
import { moveMilestone } from './milestone-moves.ts';

/** A payment as the API takes it. Amounts in paise. */
export const paymentInputSchema = z.strictObject({
  invoiceId: z.string().min(1).max(64).optional(),
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  reference: z.string().trim().min(1).max(200),
  method: z.string().trim().min(1).max(40),
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  clientName: z.string().trim().min(1).max(200).optional(),
  clientGstin: z.string().trim().toUpperCase().max(20).optional(),
});

/** A payment from any source; `externalId` (`razorpay:pay_…`) makes a redelivered event a duplicate. */
export interface IncomingBillingPayment {
  invoiceId?: string | undefined;
  amount: number;
  reference: string;
  method: string;
  receivedAt: Date;
  source: string;
  clientName?: string | undefined;
  clientGstin?: string | undefined;
  externalId?: string | undefined;
}

/** What recording a payment did, with the payment as stored. */
export interface RecordedPayment {
  payment: PaymentDoc;
  invoice?: BillingInvoiceDoc;
  review?: PaymentReviewDoc;
  /** False when the payment was recorded before (the same provider id or reference). */
  created: boolean;
}

const OPEN_STATUSES = ['sent', 'partially_paid', 'paid', 'credited'];

const paymentIdOf = (externalId: string | undefined): string =>
  externalId ? `pay_${createHash('sha256').update(externalId).digest('hex').slice(0, 24)}` : newId('pay');

/**
 * Records a payment: against the named invoice, or reconciled against the tenant's issued
 * invoices (by reference: invoice number or provider order id; then by exact open amount and
 * client). Partial, full and over-payments are applied; a payment nothing matches goes to the
 * review list. Settling a milestone's invoices moves the milestone to paid through its workflow.
 */
export async function recordBillingPayment(ctx: DomainContext, incoming: IncomingBillingPayment): Promise<DomainResult<RecordedPayment>> {
  const issues = checkPayment(incoming);
  if (issues.length > 0) return invalid(issues.map((i) => ({ path: i.path, message: i.message, code: i.code })));
  const payments = ctx.db.collection(paymentsCollection);
  const id = paymentIdOf(incoming.externalId);
  if (incoming.externalId) {
    const known = await payments.findById(id);
    if (known) return succeed({ payment: known, created: false });
  }
  const record = { id, amount: incoming.amount, reference: incoming.reference, method: incoming.method, receivedAt: incoming.receivedAt, source: incoming.source };
  const base = {
    _id: id,
    amount: incoming.amount,
    reference: incoming.reference.trim(),
    method: incoming.method.trim(),
    receivedAt: incoming.receivedAt,
    source: incoming.source,
    ...(incoming.clientName ? { clientName: incoming.clientName } : {}),
    ...(incoming.clientGstin ? { clientGstin: incoming.clientGstin } : {}),
    ...(incoming.externalId ? { externalId: incoming.externalId } : {}),
  };

  let invoiceId = incoming.invoiceId;
  let matchedBy: PaymentDoc['matchedBy'] = 'invoice';
  if (invoiceId === undefined) {
    const open = await ctx.db.collection(billingInvoicesCollection).find({ status: { $in: OPEN_STATUSES } }, { projection: { outbox: 0, history: 0 } });
    const toReconcile: PaymentToReconcile = { ...record, ...(incoming.clientName ? { clientName: incoming.clientName } : {}), ...(incoming.clientGstin ? { clientGstin: incoming.clientGstin } : {}) };
    const outcome = reconcile({ payment: toReconcile, openInvoices: open });
    if (!outcome.ok) return failWith(invoicingProblem(outcome.error));
    const o = outcome.value;
    if (o.status === 'duplicate') {
      const held = open.find((inv) => inv.number === o.invoiceNumber);
      return succeed({ payment: await storePayment(ctx, { ...base, status: 'duplicate', ...(held ? { invoiceId: held._id, invoiceNumber: held.number } : {}) }), created: false });
    }
    if (o.status === 'unmatched') {
      let review: PaymentReviewDoc;
      try {
        review = await ctx.db.collection(paymentReviewsCollection).insert({ _id: `rev_${id.slice(4)}`, ...o.review, payment: { ...o.review.payment, id } });
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
        review = (await ctx.db.collection(paymentReviewsCollection).findById(`rev_${id.slice(4)}`))!;
      }
      const payment = await storePayment(ctx, { ...base, status: 'review', matchedBy: 'review', reviewId: review._id });
      return succeed({ payment, review, created: true });
    }
    invoiceId = open.find((inv) => inv.number === o.invoiceNumber)!._id;
    matchedBy = o.matchedBy;
  }
  const applied = await applyToInvoice(ctx, invoiceId, record, incoming.externalId !== undefined);
  if (!applied.ok) return applied;
  const { invoice, application } = applied.value;
  if (application === undefined) {
    return succeed({ payment: await storePayment(ctx, { ...base, status: 'duplicate', invoiceId: invoice._id, invoiceNumber: invoice.number }), invoice, created: false });
  }
  const payment = await storePayment(ctx, {
    ...base,
    status: 'applied',
    invoiceId: invoice._id,
    invoiceNumber: invoice.number,
    matchedBy,
    outcome: application.outcome,
    applied: application.applied,
    excess: application.excess,
  });
  return succeed({ payment, invoice, created: true });
}

async function storePayment(ctx: DomainContext, doc: Omit<PaymentDoc, 'version' | 'createdAt' | 'updatedAt' | 'tenantId'>): Promise<PaymentDoc> {
  const { _id, ...fields } = doc;
  const stored = await ctx.db.collection(paymentsCollection).findOneAndUpdate({ _id }, { $setOnInsert: fields }, { upsert: true, returnDocument: 'after' });
  return stored!;
}

/** Applies one payment to one invoice; `application` is absent when the invoice holds it already. */
async function applyToInvoice(
  ctx: DomainContext,
  invoiceId: string,
  record: { id: string; amount: number; reference: string; method: string; receivedAt: Date; source: string },
  keyed: boolean,
): Promise<DomainResult<{ invoice: BillingInvoiceDoc; application?: PaymentApplication }>> {
  const changed = await changeInvoice<PaymentApplication | undefined>(ctx, invoiceId, (invoice) => {
    // A provider's payment is known by its id; one typed in, by its reference, method and amount.
    const { id: _id, ...unkeyed } = record;
    if (invoice.payments.some((p) => p.id === record.id) || (!keyed && hasPayment(invoice, unkeyed))) return succeed({ next: invoice, result: undefined });
    const applied = applyPayment(invoice, record);
    if (!applied.ok) return failWith(invoicingProblem(applied.error));
    const next = { ...invoice, ...applied.value.invoice };
    const type = next.status === 'paid' && invoice.status !== 'paid' ? 'invoice.paid' : 'invoice.updated';
    const data = { paymentId: record.id, amount: record.amount, outcome: applied.value.outcome, balance: next.balance };
    // The invoice's change and the payment's own event, written together with the invoice.
    const events = [
      { type, data },
      { type: 'payment.applied', data: { ...data, applied: applied.value.applied, excess: applied.value.excess, source: record.source }, aggregate: { type: 'payment' as const, id: record.id } },
    ];
    return succeed({ next, result: applied.value, events });
  });
  if (!changed.ok) return changed;
  const { after, before, result } = changed.value;
  if (result && after.status === 'paid' && before.status !== 'paid') await settleMilestone(ctx, after.milestoneId);
  return succeed({ invoice: after, ...(result ? { application: result } : {}) });
}

/**
 * Moves a milestone to paid once it is invoiced in full and every invoice on it is settled
 * (paid or credited), through its workflow: `invoice` first if it was never moved, then `pay`.
 */
export async function settleMilestone(ctx: DomainContext, milestoneId: string): Promise<boolean> {
  const invoices = await ctx.db.collection(billingInvoicesCollection).find({ milestoneId }, { projection: { status: 1, subtotal: 1, creditNotes: 1, share: 1 } });
  const live = invoices.filter((i) => i.status !== 'cancelled');
  if (live.length === 0 || !live.every((i) => i.status === 'paid' || i.status === 'credited')) return false;
  // Partly invoiced: the milestone is not paid until the rest is invoiced and settled too.
  const billed = live.reduce((sum, i) => sum + i.subtotal, 0);
  if (billed < live[0]!.share.milestoneAmount) return false;
  const milestone = await ctx.db.collection(milestonesCollection).findById(milestoneId);
  if (!milestone || milestone.status === 'paid') return false;
  if (!(await moveMilestone(ctx, milestoneId, 'pay'))) {
    await moveMilestone(ctx, milestoneId, 'invoice');
    return moveMilestone(ctx, milestoneId, 'pay');
  }
  return true;
}

/** Assigns a payment held for review to an invoice; the review is resolved and the payment applied. */
export async function resolvePaymentReview(ctx: DomainContext, reviewId: string, input: { invoiceId: string }): Promise<DomainResult<RecordedPayment>> {
  const reviews = ctx.db.collection(paymentReviewsCollection);
  const review = await reviews.findById(reviewId);
  if (!review) return failWith({ code: 'not_found', message: 'No such payment review' });
  if (review.status === 'resolved') return failWith({ code: 'conflict', message: 'this payment was assigned already', details: { reason: 'review_resolved' } });
  const paymentId = review.payment.id ?? paymentIdOf(undefined);
  const record = { id: paymentId, amount: review.payment.amount, reference: review.payment.reference, method: review.payment.method, receivedAt: new Date(review.payment.receivedAt), source: review.payment.source ?? 'manual' };
  const applied = await applyToInvoice(ctx, input.invoiceId, record, true);
  if (!applied.ok) return applied;
  await reviews.updateOne({ _id: reviewId }, { $set: { status: 'resolved', resolvedAt: ctx.now(), resolvedBy: ctx.actor.id, invoiceId: input.invoiceId } });
  const { invoice, application } = applied.value;
  const payments = ctx.db.collection(paymentsCollection);
  const payment =
    (await payments.updateOne(
      { _id: paymentId },
      {
        $set: {
          status: application ? 'applied' : 'duplicate',
          invoiceId: invoice._id,
          invoiceNumber: invoice.number,
          matchedBy: 'review',
          ...(application ? { outcome: application.outcome, applied: application.applied, excess: application.excess } : {}),
        },
      },
    )) ?? (await storePayment(ctx, { _id: paymentId, ...record, status: 'applied', invoiceId: invoice._id, invoiceNumber: invoice.number, matchedBy: 'review' }));
  return succeed({ payment, invoice, review: (await reviews.findById(reviewId))!, created: false });
}

