export { InvoiceSchema, InvoiceSummarySchema, invoiceOut, invoiceSummary } from './invoice-out.ts';
export { billingProfile } from './billing-context.ts';
