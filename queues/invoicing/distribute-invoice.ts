import { billingInvoicesCollection, getBillingProfile, type BillingInvoiceDoc, type InvoiceDelivery } from '../../core/billing/index.ts';
import { renderInvoicePdf, type InvoiceTemplate } from '../../core/invoicing/index.ts';
import { projectsCollection } from '../../core/projects/index.ts';
import type { Store } from '../../core/store/index.ts';
import type { InvoiceDistributor, InvoiceRecipient } from './invoice-distributor.ts';

/** What distribution needs. */
export interface DistributeDeps {
  store: Store;
  distributor: InvoiceDistributor;
  /** The hub's public base URL, for the invoice link. */
  publicUrl: string;
}

/** The milestone's recipient list (the project client's contacts that can be reached) and the project's name. */
async function recipientsOf(store: Store, tenantId: string, invoice: BillingInvoiceDoc): Promise<{ recipients: InvoiceRecipient[]; projectName?: string }> {
  if (!invoice.projectId) return { recipients: [] };
  const project = await store.forTenant(tenantId).collection(projectsCollection).findById(invoice.projectId);
  const recipients = (project?.client.contacts ?? [])
    .filter((c) => c.email || c.phone || c.whatsapp)
    .map((c) => ({ name: c.name, ...(c.email ? { email: c.email } : {}), ...(c.phone ? { phone: c.phone } : {}), ...(c.whatsapp ? { whatsapp: c.whatsapp } : {}) }));
  return { recipients, ...(project?.name ? { projectName: project.name } : {}) };
}

/**
 * Queues an invoice (or a payment reminder) to every recipient, once per recipient and `round`:
 * each request carries a dedupe key and is recorded on the invoice under that key, so a
 * redelivered event or a second sweep sends nothing twice.
 */
export async function distributeInvoice(
  deps: DistributeDeps,
  input: { tenantId: string; invoiceId: string; kind: 'invoice' | 'reminder'; round: string; at: Date; daysFromDue?: number },
): Promise<InvoiceDelivery[]> {
  const invoices = deps.store.forTenant(input.tenantId).collection(billingInvoicesCollection);
  const invoice = await invoices.findById(input.invoiceId);
  if (!invoice || invoice.status === 'draft' || invoice.status === 'approved' || invoice.status === 'cancelled') return [];
  const { recipients, projectName } = await recipientsOf(deps.store, input.tenantId, invoice);
  if (recipients.length === 0) return [];
  const { settings } = await getBillingProfile(deps.store.forTenant(input.tenantId));
  const pdf = await renderInvoicePdf(invoice, {
    ...(settings.branding ? { branding: settings.branding } : {}),
    ...(settings.template ? { template: settings.template as InvoiceTemplate } : {}),
  });
  const done = new Set((invoice.deliveries ?? []).map((d) => d.key));
  const recorded: InvoiceDelivery[] = [];
  for (const recipient of recipients) {
    const to = recipient.email ?? recipient.whatsapp ?? recipient.phone!;
    const key = `${input.kind}:${input.round}:${to}`;
    if (done.has(key)) continue;
    const receipt = await deps.distributor.distribute({
      tenantId: input.tenantId,
      invoiceId: invoice._id,
      invoiceNumber: invoice.number,
      milestoneId: invoice.milestoneId,
      ...(invoice.projectId ? { projectId: invoice.projectId } : {}),
      kind: input.kind,
      dedupeKey: `invoice:${invoice._id}:${key}`,
      recipient,
      amount: input.kind === 'invoice' ? invoice.total : invoice.balance,
      dueOn: invoice.dueOn,
      ...(input.daysFromDue !== undefined ? { daysFromDue: input.daysFromDue } : {}),
      clientName: invoice.clientName,
      ...(projectName ? { projectName } : {}),
      milestoneTitle: invoice.milestoneTitle,
      link: `${deps.publicUrl.replace(/\/$/, '')}/v1/invoices/${invoice._id}/pdf`,
      pdf: { filename: `${invoice.number.replace(/[^A-Za-z0-9-]/g, '_')}.pdf`, content: pdf },
    });
    const delivery: InvoiceDelivery = {
      key,
      channel: recipient.email ? 'email' : recipient.whatsapp ? 'whatsapp' : 'sms',
      to,
      kind: input.kind,
      status: receipt.status,
      at: input.at,
      ...(receipt.error ? { error: receipt.error } : {}),
      ...(receipt.notificationId ? { notificationId: receipt.notificationId } : {}),
    };
    // Only when absent: the notification may have settled (and recorded its outcome) already.
    await invoices.updateOne({ _id: invoice._id, 'deliveries.key': { $ne: key } }, { $push: { deliveries: delivery } });
    recorded.push(delivery);
  }
  return recorded;
}
