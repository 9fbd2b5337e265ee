import { requestNotification, type NotifyDeps } from '../notify/index.ts';
import type { DistributionReceipt, InvoiceDistribution, InvoiceDistributor } from './invoice-distributor.ts';

/**
 * Distribution through the notification layer: one notification per recipient, email with the
 * PDF attached and the link for the other channels; the notification layer picks the channels
 * the recipient reads, retries, falls back and escalates. Invoices use `invoice.sent`; payment
 * reminders `payment.reminder.before_due` or, past the due day, `payment.reminder.after_due`
 * with the balance outstanding and the days overdue.
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
      const overdue = request.kind === 'reminder' && (request.daysFromDue ?? 0) > 0;
      const requested = await requestNotification(deps, {
        tenantId: request.tenantId,
        dedupeKey: request.dedupeKey,
        purpose: request.kind === 'invoice' ? 'invoice' : 'reminder',
        recipient: { contact },
        // Reminders have their own wording (tenants override each key like any message template).
        templateKey: request.kind === 'invoice' ? 'invoice.sent' : overdue ? 'payment.reminder.after_due' : 'payment.reminder.before_due',
        vars: {
          amount: request.amount,
          'invoice.number': request.invoiceNumber,
          'milestone.title': request.milestoneTitle,
          'client.name': request.clientName,
          'project.name': request.projectName ?? request.milestoneTitle,
          dueDate: request.dueOn,
          ...(overdue ? { daysOverdue: request.daysFromDue } : {}),
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
