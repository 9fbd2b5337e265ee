import { applyPayment, hasPayment, invoicesCollection, type IncomingPayment, type InvoiceDoc, type PaymentApplication } from '../invoicing/index.ts';
import { VersionConflictError, type TenantStore } from '../store/index.ts';

/** What recording a synced payment did. */
export type InvoicePaymentResult =
  | { ok: true; outcome: 'applied'; application: PaymentApplication }
  | { ok: true; outcome: 'duplicate' }
  | { ok: false; code: string; message: string };

const OWN = new Set(['_id', 'tenantId', 'version', 'createdAt', 'updatedAt']);

/**
 * Records a payment that arrived through sync (a QuickBooks payment applied to an invoice the hub
 * synced) against the hub invoice, with core/invoicing's `applyPayment`: partial, full or over.
 * The write is conditional on the invoice's version and retried on a concurrent change; a payment
 * the invoice already holds (same id) is a `duplicate`, so a redelivered change is harmless.
 * The invoices collection has no domain service of its own yet: this adapter is the one writer
 * sync uses, and it changes only what `applyPayment` recomputes.
 */
export async function recordInvoicePayment(db: TenantStore, invoiceId: string, payment: IncomingPayment): Promise<InvoicePaymentResult> {
  const invoices = db.collection(invoicesCollection);
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const invoice = await invoices.findById(invoiceId);
    if (invoice === null) return { ok: false, code: 'invoice_not_found', message: `no invoice ${invoiceId}` };
    if (hasPayment(invoice, payment)) return { ok: true, outcome: 'duplicate' };
    const applied = applyPayment(invoice, payment);
    if (!applied.ok) {
      if (applied.error.code === 'duplicate_payment') return { ok: true, outcome: 'duplicate' };
      return { ok: false, code: applied.error.code, message: applied.error.message };
    }
    const next = applied.value.invoice as InvoiceDoc;
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, true> = {};
    for (const key of new Set([...Object.keys(invoice), ...Object.keys(next)])) {
      if (OWN.has(key)) continue;
      const before = (invoice as unknown as Record<string, unknown>)[key];
      const after = (next as unknown as Record<string, unknown>)[key];
      if (after === undefined && before !== undefined) $unset[key] = true;
      else if (after !== undefined && JSON.stringify(after) !== JSON.stringify(before)) $set[key] = after;
    }
    try {
      await invoices.updateOne({ _id: invoiceId }, { $set, ...(Object.keys($unset).length > 0 ? { $unset } : {}) }, { expectedVersion: invoice.version });
      return { ok: true, outcome: 'applied', application: applied.value };
    } catch (err) {
      if (!(err instanceof VersionConflictError)) throw err;
    }
  }
  return { ok: false, code: 'busy', message: `invoice ${invoiceId} kept changing; try again` };
}
