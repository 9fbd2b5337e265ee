export {
  BILLING_SETTINGS_ID,
  billingInvoicesCollection,
  billingSettingsCollection,
  generationClaimsCollection,
  paymentRemindersCollection,
  paymentsCollection,
} from './collections.ts';
export type {
  BillingInvoiceDoc,
  BillingSettings,
  BillingSettingsDoc,
  GenerationClaimDoc,
  InvoiceDelivery,
  PaymentDoc,
  PaymentReminderDoc,
} from './collections.ts';
export { getBillingProfile, tenantBillingPatchSchema, updateTenantBilling } from './billing-settings.ts';
export type { BillingProfile, TenantBillingPatch } from './billing-settings.ts';
export { changeInvoice, invoiceEvent, invoiceUpdate, invoicingProblem } from './invoice-writes.ts';
export type { InvoiceChange } from './invoice-writes.ts';
export { generateMilestoneInvoices } from './generate-milestone-invoices.ts';
export type { GeneratedInvoices, GenerateOptions, InvoiceRequest } from './generate-milestone-invoices.ts';
export { billingActor, moveMilestone } from './milestone-moves.ts';
export {
  amendBillingInvoice,
  approveBillingInvoice,
  cancelBillingInvoice,
  creditNoteRequestSchema,
  disputeBillingInvoice,
  invoiceAmendmentSchema,
  issueCreditNote,
  sendBillingInvoice,
} from './invoice-lifecycle.ts';
export { paymentInputSchema, recordBillingPayment, resolvePaymentReview, settleMilestone } from './record-payment.ts';
export type { IncomingBillingPayment, RecordedPayment } from './record-payment.ts';
export { recordInvoiceDelivery } from './record-invoice-delivery.ts';
export type { DeliveryOutcome } from './record-invoice-delivery.ts';
