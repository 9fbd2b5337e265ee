import { checkClient, stateNameOf } from './check-parties.ts';
import { computeDocumentTotals } from './compute-totals.ts';
import type { ClientDetails, InvoiceDocument, InvoiceLineInput, InvoiceSnapshot } from './invoice-types.ts';
import { refuse, refuseOne, succeed } from './invoicing-result.ts';
import type { InvoiceIssue, InvoicingResult } from './invoicing-result.ts';
import { addDaysToIsoDate, startOfLocalDay } from './zoned-day.ts';

/** What an amendment changes; fields left out keep their value. */
export interface InvoiceAmendment {
  reason: string;
  at: Date;
  by?: string;
  lines?: InvoiceLineInput[];
  client?: ClientDetails;
  /** @default the new client's state when the client changes, else unchanged */
  placeOfSupply?: string;
  dueInDays?: number;
  notes?: string;
  providerOrderId?: string;
}

/** The amendable fields of an invoice as they stand. */
export function snapshotInvoice(invoice: InvoiceDocument): InvoiceSnapshot {
  return {
    status: invoice.status,
    client: invoice.client,
    placeOfSupply: invoice.placeOfSupply,
    lines: invoice.lines,
    totals: {
      supply: invoice.supply,
      sgstLabel: invoice.sgstLabel,
      subtotal: invoice.subtotal,
      taxes: invoice.taxes,
      taxTotal: invoice.taxTotal,
      roundOff: invoice.roundOff,
      total: invoice.total,
      amountInWords: invoice.amountInWords,
    },
    dueInDays: invoice.dueInDays,
    dueOn: invoice.dueOn,
    dueDate: invoice.dueDate,
    ...(invoice.notes !== undefined ? { notes: invoice.notes } : {}),
  };
}

/**
 * Amends a `draft` or `approved` invoice: recomputes its taxes and totals, bumps `revision` and
 * keeps the replaced revision in `history`. Amending an approved invoice withdraws the approval
 * (it goes back to `draft`). Once sent an invoice is frozen: issue a credit note instead.
 */
export function amendInvoice(invoice: InvoiceDocument, amendment: InvoiceAmendment): InvoicingResult<InvoiceDocument> {
  if (invoice.status !== 'draft' && invoice.status !== 'approved') {
    return refuseOne(
      'invoice_locked',
      `invoice ${invoice.number} is ${invoice.status}; amendments end when an invoice is sent, issue a credit note instead`,
      'status',
    );
  }
  const issues: InvoiceIssue[] = [];
  if (typeof amendment.reason !== 'string' || amendment.reason.trim() === '') {
    issues.push({ path: 'reason', code: 'reason_required', message: 'an amendment needs a reason' });
  }
  if (!(amendment.at instanceof Date) || Number.isNaN(amendment.at.getTime())) {
    issues.push({ path: 'at', code: 'invalid_date', message: 'the amendment time must be a valid date' });
  }
  const client = amendment.client === undefined ? invoice.client : checkClient(amendment.client, issues);
  const placeCode = amendment.placeOfSupply ?? (amendment.client ? amendment.client.stateCode : invoice.placeOfSupply.code);
  const placeName = stateNameOf(placeCode);
  if (placeName === undefined) {
    issues.push({ path: 'placeOfSupply', code: 'invalid_state_code', message: `'${String(placeCode)}' is not a GST state code` });
  }
  const dueInDays = amendment.dueInDays ?? invoice.dueInDays;
  if (!Number.isInteger(dueInDays) || dueInDays < 0 || dueInDays > 3650) {
    issues.push({ path: 'dueInDays', code: 'invalid_due_days', message: 'due days must be a whole number from 0 to 3650' });
  }
  if (issues.length > 0 || !client || placeName === undefined) return refuse(issues);

  const lines: InvoiceLineInput[] = amendment.lines ?? invoice.lines.map(({ description, hsnSac, taxableValue, gstRate }) => ({
    description,
    ...(hsnSac !== undefined ? { hsnSac } : {}),
    taxableValue,
    gstRate,
  }));
  const computed = computeDocumentTotals(lines, {
    supplierState: invoice.supplier.stateCode,
    placeOfSupply: placeCode,
    taxOptions: invoice.taxOptions,
  });
  if (!computed.ok) return computed;

  const dueOn = addDaysToIsoDate(invoice.issuedOn, dueInDays);
  const { approvedAt: _approvedAt, approvedBy: _approvedBy, ...rest } = invoice;
  const amended: InvoiceDocument = {
    ...rest,
    status: 'draft',
    revision: invoice.revision + 1,
    history: [
      ...invoice.history,
      {
        revision: invoice.revision,
        replacedAt: amendment.at,
        ...(amendment.by !== undefined ? { replacedBy: amendment.by } : {}),
        reason: amendment.reason.trim(),
        snapshot: snapshotInvoice(invoice),
      },
    ],
    client,
    clientName: client.name,
    placeOfSupply: { code: placeCode, name: placeName },
    lines: computed.value.lines,
    ...computed.value.totals,
    share: { ...invoice.share, billed: computed.value.totals.subtotal },
    balance: computed.value.totals.total,
    dueInDays,
    dueOn,
    dueDate: startOfLocalDay(dueOn, invoice.timeZone),
    ...(amendment.notes !== undefined ? { notes: amendment.notes } : {}),
    ...(amendment.providerOrderId !== undefined ? { providerOrderId: amendment.providerOrderId } : {}),
  };
  return succeed(amended);
}
