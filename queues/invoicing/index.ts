export type { DistributionReceipt, InvoiceDistribution, InvoiceDistributor, InvoiceRecipient } from './invoice-distributor.ts';
export { createNotifyInvoiceDistributor } from './notify-invoice-distributor.ts';
export { distributeInvoice, type DistributeDeps } from './distribute-invoice.ts';
export { autoInvoice, DEFAULT_INVOICE_TRIGGER, type AutoInvoiceOutcome } from './auto-invoice.ts';
export { DEFAULT_REMINDERS, reminderDue, sweepInvoices, type InvoiceSweepResult } from './sweep-invoices.ts';
export { createInvoicingHook, INVOICING_SWEEP_EVENT, INVOICING_SWEEP_SCHEDULER_ID, scheduleInvoicingSweep, type InvoicingHookDeps } from './invoicing-hook.ts';
export { createRazorpayPaymentHandler } from './razorpay-payment-handler.ts';
