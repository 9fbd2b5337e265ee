import type { InvoiceDocument } from './invoice-types.ts';
import { refuseOne, succeed } from './invoicing-result.ts';
import type { InvoicingResult } from './invoicing-result.ts';

const validAt = (at: unknown): at is Date => at instanceof Date && !Number.isNaN(at.getTime());

/** Approves a draft; the tenant's policy decides whether sending needs it. */
export function approveInvoice(invoice: InvoiceDocument, step: { at: Date; by?: string }): InvoicingResult<InvoiceDocument> {
  if (!validAt(step.at)) return refuseOne('invalid_date', 'the approval time must be a valid date', 'at');
  if (invoice.status !== 'draft') {
    return refuseOne('invalid_transition', `invoice ${invoice.number} is ${invoice.status}; only a draft can be approved`, 'status');
  }
  return succeed({ ...invoice, status: 'approved', approvedAt: step.at, ...(step.by !== undefined ? { approvedBy: step.by } : {}) });
}

/**
 * Marks an invoice sent, which freezes it. A draft may be sent directly unless the tenant
 * requires approval.
 */
export function markInvoiceSent(
  invoice: InvoiceDocument,
  step: { at: Date; requireApproval?: boolean },
): InvoicingResult<InvoiceDocument> {
  if (!validAt(step.at)) return refuseOne('invalid_date', 'the sending time must be a valid date', 'at');
  if (invoice.status === 'draft' && step.requireApproval) {
    return refuseOne('approval_required', `invoice ${invoice.number} must be approved before it is sent`, 'status');
  }
  if (invoice.status !== 'draft' && invoice.status !== 'approved') {
    return refuseOne('invalid_transition', `invoice ${invoice.number} is ${invoice.status} and cannot be sent again as new`, 'status');
  }
  return succeed({ ...invoice, status: 'sent', sentAt: step.at });
}

/**
 * Cancels an invoice that was never sent; its number stays used (GST numbering has no reuse).
 * A sent invoice cannot be cancelled here: credit it with a credit note.
 */
export function cancelInvoice(invoice: InvoiceDocument, step: { at: Date; reason: string }): InvoicingResult<InvoiceDocument> {
  if (!validAt(step.at)) return refuseOne('invalid_date', 'the cancellation time must be a valid date', 'at');
  if (typeof step.reason !== 'string' || step.reason.trim() === '') return refuseOne('reason_required', 'a cancellation needs a reason', 'reason');
  if (invoice.status !== 'draft' && invoice.status !== 'approved') {
    return refuseOne('invoice_locked', `invoice ${invoice.number} is ${invoice.status}; issue a credit note instead`, 'status');
  }
  return succeed({ ...invoice, status: 'cancelled', cancelledAt: step.at, cancelReason: step.reason.trim(), balance: 0 });
}
