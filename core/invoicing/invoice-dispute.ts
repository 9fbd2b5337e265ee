import { isPaise } from '../money/index.ts';
import type { InvoiceDocument } from './invoice-types.ts';
import { refuseOne, succeed } from './invoicing-result.ts';
import type { InvoicingResult } from './invoicing-result.ts';
import { isIssued } from './settle-invoice.ts';

/** Records that the client disputes a sent invoice, wholly or for `amount` paise. */
export function openDispute(
  invoice: InvoiceDocument,
  dispute: { reason: string; at: Date; amount?: number },
): InvoicingResult<InvoiceDocument> {
  if (!isIssued(invoice)) return refuseOne('invoice_not_sent', `invoice ${invoice.number} is ${invoice.status}; only sent invoices are disputed`, 'status');
  if (invoice.dispute?.status === 'open') return refuseOne('dispute_open', `invoice ${invoice.number} is disputed already`, 'dispute');
  if (typeof dispute.reason !== 'string' || dispute.reason.trim() === '') return refuseOne('reason_required', 'a dispute needs a reason', 'reason');
  if (!(dispute.at instanceof Date) || Number.isNaN(dispute.at.getTime())) return refuseOne('invalid_date', 'the dispute time must be a valid date', 'at');
  if (dispute.amount !== undefined && (!isPaise(dispute.amount) || dispute.amount <= 0 || dispute.amount > invoice.total)) {
    return refuseOne('invalid_amount', 'the disputed amount must be positive paise, at most the invoice total', 'amount');
  }
  return succeed({
    ...invoice,
    dispute: {
      status: 'open',
      reason: dispute.reason.trim(),
      openedAt: dispute.at,
      ...(dispute.amount !== undefined ? { amount: dispute.amount } : {}),
    },
  });
}

/** Closes an open dispute with its resolution; settle money through payments or a credit note. */
export function resolveDispute(invoice: InvoiceDocument, step: { resolution: string; at: Date }): InvoicingResult<InvoiceDocument> {
  if (invoice.dispute?.status !== 'open') return refuseOne('no_open_dispute', `invoice ${invoice.number} has no open dispute`, 'dispute');
  if (typeof step.resolution !== 'string' || step.resolution.trim() === '') return refuseOne('reason_required', 'say how the dispute was resolved', 'resolution');
  if (!(step.at instanceof Date) || Number.isNaN(step.at.getTime())) return refuseOne('invalid_date', 'the resolution time must be a valid date', 'at');
  return succeed({ ...invoice, dispute: { ...invoice.dispute, status: 'resolved', resolvedAt: step.at, resolution: step.resolution.trim() } });
}
