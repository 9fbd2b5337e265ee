export type {
  ClientDetails,
  CreditNoteDocument,
  CreditNoteRef,
  DocumentTotals,
  InvoiceDispute,
  InvoiceDocument,
  InvoiceLine,
  InvoiceLineInput,
  InvoiceMilestone,
  InvoiceParty,
  InvoiceRevision,
  InvoiceSnapshot,
  InvoiceStatus,
  MilestoneShare,
  PaymentRecord,
  PaymentTerms,
  SupplierDetails,
  TaxOptions,
} from './invoice-types.ts';
export type { InvoiceIssue, InvoiceIssueCode, InvoicingError, InvoicingResult } from './invoicing-result.ts';

export { buildInvoice, buildInvoiceInContext, checkInvoiceContext } from './build-invoice.ts';
export type { BuildInvoiceInput, BuildInvoiceOptions, InvoiceContext } from './build-invoice.ts';
export { buildInvoices, buildInvoicesInContext } from './build-invoices.ts';
export type { BatchInvoiceItem, BuildInvoicesInput, BuildInvoicesOutput } from './build-invoices.ts';
export { generateInvoices } from './generate-invoices.ts';
export type { GenerateInvoicesInput } from './generate-invoices.ts';
export { checkLineInputs, computeDocumentTotals, isHsnSac } from './compute-totals.ts';
export { invoicedSoFar } from './invoiced-so-far.ts';

export {
  checkDocumentNumber,
  DEFAULT_CREDIT_NOTE_NUMBERING,
  DEFAULT_INVOICE_NUMBERING,
  formatDocumentNumber,
  MAX_DOCUMENT_NUMBER_LENGTH,
  parseFinancialYear,
  resolveNumberingScheme,
} from './numbering-scheme.ts';
export type { NumberingScheme } from './numbering-scheme.ts';
export { nextCreditNoteNumber, nextInvoiceNumber, reserveInvoiceNumbers } from './next-invoice-number.ts';
export type { IssuedNumber, NextNumberOptions } from './next-invoice-number.ts';
export {
  creditNotesCollection,
  invoiceCountersCollection,
  invoicesCollection,
  paymentReviewsCollection,
} from './collections.ts';
export type { CreditNoteDoc, InvoiceCounterDoc, InvoiceDoc, PaymentReviewDoc } from './collections.ts';

export { amendInvoice, snapshotInvoice } from './amend-invoice.ts';
export type { InvoiceAmendment } from './amend-invoice.ts';
export { approveInvoice, cancelInvoice, markInvoiceSent } from './invoice-transitions.ts';
export { isIssued, settleInvoice } from './settle-invoice.ts';
export { applyCreditNote, buildCreditNote } from './build-credit-note.ts';
export type { CreditNoteInput } from './build-credit-note.ts';

export { applyPayment, checkPayment, hasPayment } from './apply-payment.ts';
export type { IncomingPayment, PaymentApplication } from './apply-payment.ts';
export { reconcile } from './reconcile.ts';
export type { PaymentToReconcile, ReconcileOutcome, UnmatchedPayment } from './reconcile.ts';
export { openDispute, resolveDispute } from './invoice-dispute.ts';
export { containsReference, normaliseClientName, normaliseReference } from './normalise-reference.ts';

export { renderInvoiceJson } from './render-invoice-json.ts';
export type { JsonValue } from './render-invoice-json.ts';
export { escapeHtml, formatCalendarDate, formatRate, renderInvoiceHtml } from './render-invoice-html.ts';
export { renderInvoicePdf } from './render-invoice-pdf.ts';
export type { RenderPdfOptions } from './render-invoice-pdf.ts';
export { pdfSafeText } from './pdf-safe-text.ts';
export {
  invoiceAppearanceSchema,
  invoiceBrandingSchema,
  invoiceTemplateSchema,
  resolveAppearance,
} from './invoice-appearance.ts';
export type { BankDetails, InvoiceBranding, InvoiceTemplate, ResolvedAppearance } from './invoice-appearance.ts';

export { addDaysToIsoDate, isoWeekdayOf, startOfLocalDay } from './zoned-day.ts';
export { dateInZone as localDateOf, isValidTimeZone } from '../money/index.ts';
