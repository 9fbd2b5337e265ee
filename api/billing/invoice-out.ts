import { z } from '@hono/zod-openapi';
import type { BillingInvoiceDoc } from '../../core/billing/index.ts';
import { renderInvoiceJson, type JsonValue } from '../../core/invoicing/index.ts';

const Taxes = z.object({ cgst: z.number().int(), sgst: z.number().int(), igst: z.number().int() });

/** An invoice in lists: identity, status and money (integer paise). */
export const InvoiceSummarySchema = z
  .object({
    id: z.string(),
    number: z.string(),
    milestoneId: z.string(),
    projectId: z.string().optional(),
    status: z.string(),
    version: z.number().int(),
    financialYear: z.string(),
    issuedOn: z.string(),
    dueOn: z.string(),
    clientName: z.string(),
    supply: z.enum(['intra-state', 'inter-state']),
    subtotal: z.number().int(),
    taxes: Taxes,
    taxTotal: z.number().int(),
    roundOff: z.number().int(),
    total: z.number().int(),
    balance: z.number().int(),
    amountPaid: z.number().int(),
    amountCredited: z.number().int(),
    overpaid: z.number().int(),
    sentAt: z.string().optional(),
    paidAt: z.string().optional(),
    scheduledSendAt: z.string().optional(),
  })
  .openapi('InvoiceSummary');

/** The whole invoice document (schema `milestone-hub/invoice@1`) with its id and version. */
export const InvoiceSchema = z
  .object({ id: z.string(), version: z.number().int(), number: z.string(), status: z.string(), total: z.number().int() })
  .catchall(z.unknown())
  .openapi('Invoice');


/** The list entry of an invoice. */
export function invoiceSummary(doc: BillingInvoiceDoc): z.infer<typeof InvoiceSummarySchema> {
  return {
    id: doc._id,
    number: doc.number,
    milestoneId: doc.milestoneId,
    ...(doc.projectId !== undefined ? { projectId: doc.projectId } : {}),
    status: doc.status,
    version: doc.revision,
    financialYear: doc.financialYear,
    issuedOn: doc.issuedOn,
    dueOn: doc.dueOn,
    clientName: doc.clientName,
    supply: doc.supply,
    subtotal: doc.subtotal,
    taxes: { cgst: doc.taxes.cgst, sgst: doc.taxes.sgst, igst: doc.taxes.igst },
    taxTotal: doc.taxTotal,
    roundOff: doc.roundOff,
    total: doc.total,
    balance: doc.balance,
    amountPaid: doc.amountPaid,
    amountCredited: doc.amountCredited,
    overpaid: doc.overpaid,
    ...(doc.sentAt ? { sentAt: new Date(doc.sentAt).toISOString() } : {}),
    ...(doc.paidAt ? { paidAt: new Date(doc.paidAt).toISOString() } : {}),
    ...(doc.scheduledSendAt ? { scheduledSendAt: new Date(doc.scheduledSendAt).toISOString() } : {}),
  };
}

/** The full JSON document of an invoice, as `GET /v1/invoices/{id}` answers. */
export function invoiceOut(doc: BillingInvoiceDoc): { id: string; version: number; number: string; status: string; total: number } & Record<string, JsonValue> {
  const { generationKey: _key, ...rest } = doc;
  const json = renderInvoiceJson(rest);
  return { ...json, id: doc._id, version: doc.revision, number: doc.number, status: doc.status, total: doc.total };
}
