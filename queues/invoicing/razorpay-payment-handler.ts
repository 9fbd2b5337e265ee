import { recordBillingPayment } from '../../core/billing/index.ts';
import type { DomainContext } from '../../core/domain/index.ts';
import type { InboundWebhookHandler } from '../../webhooks/index.ts';

const PAYMENT_EVENTS = new Set(['payment.captured', 'order.paid']);
// Razorpay's word that a payment did not go through: nothing was received, so nothing reconciles.
const FAILED_EVENTS = new Set(['payment.failed']);
const FAILED_STATUSES = new Set(['failed']);

interface RazorpayPayment {
  id?: unknown;
  amount?: unknown;
  currency?: unknown;
  method?: unknown;
  order_id?: unknown;
  description?: unknown;
  notes?: unknown;
  email?: unknown;
  created_at?: unknown;
  status?: unknown;
  error_code?: unknown;
  error_description?: unknown;
  error_reason?: unknown;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** The payment entity of a `payment.captured` or `order.paid` event. */
function paymentOf(data: unknown): RazorpayPayment | undefined {
  const payload = (data as { payload?: { payment?: { entity?: unknown } } } | undefined)?.payload;
  const entity = payload?.payment?.entity;
  return entity !== null && typeof entity === 'object' ? (entity as RazorpayPayment) : undefined;
}

/** Why Razorpay refused the payment, from its error fields. */
function failureOf(payment: RazorpayPayment | undefined): string {
  const parts = [text(payment?.error_code), text(payment?.error_reason), text(payment?.error_description)].filter((v): v is string => v !== undefined);
  return parts.length > 0 ? parts.join(': ') : 'no reason given';
}

/**
 * Reconciles Razorpay payments: each captured payment (`payment.captured`, `order.paid`) is
 * recorded once (`razorpay:<payment id>`) and matched to an invoice by reference (the invoice
 * number in the payment's notes or description, or the order id stored on the invoice), then by
 * amount and client (`notes.client_name`, `notes.client_gstin`); otherwise it waits for review.
 * A payment Razorpay reports as failed (`payment.failed`, or an entity whose status is `failed`)
 * is an ignored outcome with Razorpay's reason: retrying cannot make it succeed.
 */
export function createRazorpayPaymentHandler(): InboundWebhookHandler {
  return {
    name: 'razorpay-payments',
    async handle(event, { db, now }) {
      if (event.connectorId !== 'razorpay') return { status: 'ignored', reason: 'not a razorpay connection' };
      let recorded = 0;
      const failed: string[] = [];
      for (const change of event.changes) {
        const payment = paymentOf(change.data);
        if (FAILED_EVENTS.has(change.type) || (PAYMENT_EVENTS.has(change.type) && FAILED_STATUSES.has(String(payment?.status)))) {
          failed.push(`payment ${text(payment?.id) ?? '(no id)'} failed at Razorpay (${failureOf(payment)})`);
          continue;
        }
        if (!PAYMENT_EVENTS.has(change.type)) continue;
        const id = text(payment?.id);
        if (!payment || !id || typeof payment.amount !== 'number') continue;
        if (text(payment.currency) !== undefined && payment.currency !== 'INR') continue;
        const notes = (payment.notes !== null && typeof payment.notes === 'object' ? payment.notes : {}) as Record<string, unknown>;
        const reference = [text(notes.invoice_number), text(notes.invoice), text(payment.description), text(payment.order_id), id].filter((v): v is string => v !== undefined).join(' ');
        const ctx: DomainContext = { db, now: () => now, actor: { kind: 'connection', id: event.connectionId, channel: 'razorpay' } };
        const createdAt = typeof payment.created_at === 'number' ? new Date(payment.created_at * 1000) : now;
        const result = await recordBillingPayment(ctx, {
          amount: payment.amount,
          reference,
          method: text(payment.method) ?? 'razorpay',
          receivedAt: createdAt,
          source: 'razorpay',
          externalId: `razorpay:${id}`,
          clientName: text(notes.client_name),
          clientGstin: text(notes.client_gstin),
        });
        if (!result.ok) throw new Error(`razorpay payment ${id} was refused: ${result.error.message}`);
        recorded += 1;
      }
      if (recorded > 0) return { status: 'processed' };
      return { status: 'ignored', reason: failed.length > 0 ? failed.join('; ') : 'no captured payments' };
    },
  };
}
