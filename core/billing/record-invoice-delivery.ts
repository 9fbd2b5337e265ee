import { VersionConflictError, type TenantStore } from '../store/index.ts';
import { billingInvoicesCollection, type InvoiceDelivery } from './collections.ts';

/** What became of one distribution request, channel by channel, as the notification layer settled it. */
export interface DeliveryOutcome {
  /** The distribution's key (`<kind>:<round>:<address>`). */
  key: string;
  kind: InvoiceDelivery['kind'];
  notificationId?: string;
  /** One entry per channel tried, latest outcome each; empty when no channel could be tried. */
  channels: Array<{ channel: string; to: string; status: 'sent' | 'failed'; at: Date; error?: string }>;
  /** Set when the notification failed without trying any channel (no channel, opted out). */
  failure?: { at: Date; error: string };
}

/**
 * Replaces an invoice's entries for one distribution key with its settled outcome, one entry per
 * channel. Written conditionally on the invoice's store version (a concurrent change re-reads),
 * and an outcome that arrives before the `queued` entry is still recorded, so the later
 * `queued` write (which adds only absent keys) cannot overwrite it. The invoice's API version
 * does not change: delivery is bookkeeping, not an edit.
 */
export async function recordInvoiceDelivery(db: TenantStore, invoiceId: string, outcome: DeliveryOutcome): Promise<InvoiceDelivery[] | null> {
  const invoices = db.collection(billingInvoicesCollection);
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const invoice = await invoices.findOne({ _id: invoiceId }, { projection: { _id: 1, version: 1, deliveries: 1 } });
    if (!invoice) return null;
    const current = invoice.deliveries ?? [];
    const queued = current.find((d) => d.key === outcome.key);
    const base = { key: outcome.key, kind: outcome.kind, ...(outcome.notificationId ? { notificationId: outcome.notificationId } : {}) };
    const settled: InvoiceDelivery[] =
      outcome.channels.length > 0
        ? outcome.channels.map((c) => ({ ...base, channel: c.channel, to: c.to, status: c.status, at: c.at, ...(c.error ? { error: c.error } : {}) }))
        : [{ ...base, channel: queued?.channel ?? 'none', to: queued?.to ?? '', status: 'failed', at: outcome.failure?.at ?? new Date(), error: outcome.failure?.error ?? 'not delivered' }];
    const deliveries = [...current.filter((d) => d.key !== outcome.key), ...settled];
    try {
      const written = await invoices.updateOne({ _id: invoiceId }, { $set: { deliveries } }, { expectedVersion: invoice.version });
      if (written) return deliveries;
    } catch (err) {
      if (!(err instanceof VersionConflictError)) throw err;
    }
  }
  throw new Error(`invoice ${invoiceId} kept changing while its delivery was recorded; the job will run again`);
}
