import { domainEvent, failWith, invalid, succeed, type DomainContext, type DomainError, type DomainEvent, type DomainResult } from '../domain/index.ts';
import type { InvoicingError } from '../invoicing/index.ts';
import { VersionConflictError, type Update } from '../store/index.ts';
import { billingInvoicesCollection, type BillingInvoiceDoc } from './collections.ts';

// Refusals that are about the invoice's state rather than the request's fields.
const STATE_REFUSALS = new Set([
  'invoice_locked',
  'invalid_transition',
  'approval_required',
  'invoice_not_sent',
  'invoice_closed',
  'duplicate_payment',
  'duplicate_credit_note',
  'dispute_open',
  'no_open_dispute',
]);

/** A core/invoicing refusal as a domain error: 409 `conflict` (with `reason`) for the invoice's state, 422 for bad fields. */
export function invoicingProblem(error: InvoicingError, prefix = ''): DomainError {
  if (STATE_REFUSALS.has(error.code)) return { code: 'conflict', message: error.message, details: { reason: error.code } };
  const issues = error.issues.map((i) => ({ path: prefix && i.path ? `${prefix}.${i.path}` : prefix || i.path, message: i.message, code: i.code }));
  const result = invalid(issues.length > 0 ? issues : [{ path: prefix, message: error.message, code: error.code }]);
  return result.error;
}

const OWN = new Set(['_id', 'tenantId', 'version', 'createdAt', 'updatedAt', 'outbox']);

/** The `$set`/`$unset` that turn `before` into `after`, top-level fields only. */
export function invoiceUpdate(before: BillingInvoiceDoc, after: BillingInvoiceDoc): Update {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, true> = {};
  const b = before as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (OWN.has(key)) continue;
    if (a[key] === undefined && b[key] !== undefined) $unset[key] = true;
    else if (a[key] !== undefined && JSON.stringify(a[key]) !== JSON.stringify(b[key])) $set[key] = a[key];
  }
  return { ...(Object.keys($set).length > 0 ? { $set } : {}), ...(Object.keys($unset).length > 0 ? { $unset } : {}) };
}

/**
 * An event about an invoice (its aggregate), or about a payment applied to it (`aggregate`
 * `payment`). Either names the invoice and the milestone it bills, for followers keyed on those.
 */
export function invoiceEvent(
  ctx: DomainContext,
  type: string,
  invoice: Pick<BillingInvoiceDoc, '_id' | 'number' | 'milestoneId'>,
  data: Record<string, unknown> = {},
  aggregate: DomainEvent['aggregate'] = { type: 'invoice', id: invoice._id },
) {
  return domainEvent(ctx, type, aggregate, { invoiceId: invoice._id, number: invoice.number, milestoneId: invoice.milestoneId, ...data });
}

/** What a change to one invoice decided. */
export interface InvoiceChange<R> {
  next: BillingInvoiceDoc;
  /** Written in the invoice's outbox; `aggregate` defaults to the invoice. */
  events?: Array<{ type: string; data?: Record<string, unknown>; aggregate?: DomainEvent['aggregate'] }>;
  result?: R;
}

/**
 * Reads an invoice, lets `plan` decide its next state, and writes it conditionally on the
 * version it read, with the events in the same write; re-reads and re-plans on a concurrent
 * change. `expectedRevision` (the API's `version`) makes a stale caller a `version_conflict`.
 */
export async function changeInvoice<R = undefined>(
  ctx: DomainContext,
  id: string,
  plan: (invoice: BillingInvoiceDoc) => DomainResult<InvoiceChange<R>> | Promise<DomainResult<InvoiceChange<R>>>,
  options: { expectedRevision?: number | undefined } = {},
): Promise<DomainResult<{ before: BillingInvoiceDoc; after: BillingInvoiceDoc; result: R | undefined }>> {
  const invoices = ctx.db.collection(billingInvoicesCollection);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const invoice = await invoices.findById(id);
    if (!invoice) return failWith({ code: 'not_found', message: 'No such invoice' });
    if (options.expectedRevision !== undefined && invoice.revision !== options.expectedRevision) {
      return failWith({ code: 'version_conflict', message: `This invoice is now at version ${invoice.revision}; reload it and retry`, currentVersion: invoice.revision });
    }
    const planned = await plan(invoice);
    if (!planned.ok) return planned;
    const { next, events = [], result } = planned.value;
    const update = invoiceUpdate(invoice, next);
    const outbox = events.map((e) => invoiceEvent(ctx, e.type, next, e.data, e.aggregate));
    if (outbox.length > 0) update.$push = { outbox: { $each: outbox } };
    if (Object.keys(update).length === 0) return succeed({ before: invoice, after: invoice, result });
    try {
      const after = await invoices.updateOne({ _id: id }, update, { expectedVersion: invoice.version });
      if (after) return succeed({ before: invoice, after, result });
    } catch (err) {
      if (!(err instanceof VersionConflictError)) throw err;
    }
    if (attempt >= 3) await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
  }
  return failWith({ code: 'conflict', message: 'the invoice kept changing; try again', details: { reason: 'busy' } });
}
