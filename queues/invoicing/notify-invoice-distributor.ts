import { requestNotification, type NotifyDeps } from '../notify/index.ts';
import type { DistributionReceipt, InvoiceDistribution, InvoiceDistributor } from './invoice-distributor.ts';

/**
 * Distribution through the notification layer: one notification per recipient, email with the
 * PDF attached and the link for the other channels; the notification layer picks the channels
 * the recipient reads, retries, falls back and escalates.
 */
export function createNotifyInvoiceDistributor(deps: NotifyDeps): InvoiceDistributor {
  return {
    async distribute(request: InvoiceDistribution): Promise<DistributionReceipt> {
      const { recipient } = request;
      const contact = {
        ...(recipient.name ? { name: recipient.name } : {}),
        ...(recipient.email ? { email: recipient.email } : {}),
        ...(recipient.phone ? { phone: recipient.phone } : {}),
        ...(recipient.whatsapp ? { whatsapp: recipient.whatsapp } : {}),
      };
      const requested = await requestNotification(deps, {
        tenantId: request.tenantId,
        dedupeKey: request.dedupeKey,
        purpose: request.kind === 'invoice' ? 'invoice' : 'reminder',
        recipient: { contact },
        templateKey: 'invoice.sent',
        vars: {
          amount: request.amount,
          'invoice.number': request.invoiceNumber,
          'milestone.title': request.milestoneTitle,
          'client.name': request.clientName,
          dueDate: request.dueOn,
        },
        link: request.link,
        milestoneId: request.milestoneId,
        ...(request.projectId ? { projectId: request.projectId } : {}),
        invoiceId: request.invoiceId,
        attachments: [{ filename: request.pdf.filename, contentType: 'application/pdf', contentBase64: request.pdf.content.toString('base64') }],
        requestedBy: { kind: 'system', id: 'invoicing' },
      });
      if (!requested.ok) return { status: 'failed', error: requested.error.message };
      const status = requested.value.status;
      return { notificationId: requested.value.notificationId, status: status === 'sent' || status === 'delivered' || status === 'failed' ? status : 'queued' };
    },
  };
}
