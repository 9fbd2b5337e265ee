import type { GstTaxes } from '../money/index.ts';

/**
 * Where an invoice is in its life. `draft` and `approved` may be amended; from `sent` on the
 * document is frozen and only a credit note changes what the client owes. `credited` is an issued
 * invoice whose balance was cleared by credit notes rather than by payments.
 */
export type InvoiceStatus = 'draft' | 'approved' | 'sent' | 'partially_paid' | 'paid' | 'credited' | 'cancelled';

/** The tenant as the supplier on its invoices (set through `PATCH /v1/tenant`). */
export interface SupplierDetails {
  legalName: string;
  gstin: string;
  /** Two-digit GST state code of the place of business; must match the GSTIN. */
  stateCode: string;
  address: string;
}

/** The recipient. Without a GSTIN the supply is to an unregistered person (B2C). */
export interface ClientDetails {
  name: string;
  gstin?: string;
  /** Two-digit GST state code of the client's location; `96` for a client outside India. */
  stateCode: string;
  address?: string;
}

/**
 * A milestone's payment terms. Exactly one of `amount` (paise) or `percent` (of the contract
 * value, at most two decimals) fixes the milestone's taxable value.
 */
export interface PaymentTerms {
  amount?: number;
  percent?: number;
  /** GST rate in percent (0, 0.25, 3, 5, 12, 18, 28, 40…). */
  gstRate: number;
  /** Days after the issue date, on the tenant's calendar. */
  dueInDays?: number;
  /** 4, 6 or 8 digit HSN (goods) or SAC (services) code. */
  hsnSac?: string;
}

/** The milestone an invoice bills. */
export interface InvoiceMilestone {
  id: string;
  title: string;
  projectId?: string;
  payment: PaymentTerms;
}

/** A party as printed on a document, with the state's name resolved. */
export interface InvoiceParty {
  name: string;
  gstin?: string;
  stateCode: string;
  stateName: string;
  address?: string;
}

/** A line as callers give it (amendments, credit notes). Amounts in paise. */
export interface InvoiceLineInput {
  description: string;
  hsnSac?: string;
  taxableValue: number;
  gstRate: number;
}

/** A computed line: its taxable value and its taxes, exact to the paisa. */
export interface InvoiceLine extends InvoiceLineInput {
  lineNo: number;
  cgst: number;
  sgst: number;
  igst: number;
  tax: number;
  total: number;
}

/** Settings that decide how taxes are computed; kept on the document so amendments recompute alike. */
export interface TaxOptions {
  roundOffToRupee: boolean;
  /** Supply to an SEZ: inter-state (IGST) whatever the states. */
  sez: boolean;
  /** Tax payable by the recipient under reverse charge; printed on the document. */
  reverseCharge: boolean;
}

/** The money fields shared by invoices and credit notes. Paise throughout. */
export interface DocumentTotals {
  supply: 'intra-state' | 'inter-state';
  /** What the `sgst` column is called: UTGST for Union Territories without a legislature. */
  sgstLabel: 'SGST' | 'UTGST';
  subtotal: number;
  taxes: GstTaxes;
  taxTotal: number;
  /** Signed paise added so the total is whole rupees; 0 unless the tenant rounds. */
  roundOff: number;
  total: number;
  amountInWords: string;
}

/** How the billed value derives from the milestone's value. */
export interface MilestoneShare {
  /** The milestone's full taxable value. */
  milestoneAmount: number;
  basis: 'full' | 'percent_complete' | 'partial_percent';
  /** Percent complete (cumulative) or the partial percent billed now. */
  percent?: number;
  /** Taxable value billed on this milestone before this invoice. */
  previouslyInvoiced: number;
  /** Taxable value this invoice bills. */
  billed: number;
}

/** A payment recorded against an invoice. */
export interface PaymentRecord {
  /** The payment's own id, when the caller keeps payments as documents. */
  id?: string;
  amount: number;
  reference: string;
  method: string;
  receivedAt: Date;
  /** Where the payment event came from (`razorpay`, `quickbooks`, `manual`…). */
  source?: string;
  /** Part of `amount` that reduced the balance; the rest is `excess`. */
  applied: number;
  excess: number;
}

/** A credit note as recorded on the invoice it credits. */
export interface CreditNoteRef {
  number: string;
  issueDate: Date;
  issuedOn: string;
  reason: string;
  subtotal: number;
  total: number;
  /** Taxable value credited per invoice line. */
  lines: Array<{ lineNo: number; taxableValue: number }>;
}

/** A client's dispute of an invoice; kept after resolution. */
export interface InvoiceDispute {
  status: 'open' | 'resolved';
  reason: string;
  openedAt: Date;
  /** Disputed part of the invoice, in paise, when not the whole. */
  amount?: number;
  resolvedAt?: Date;
  resolution?: string;
}

/** The fields an amendment can change, as they were before it. */
export interface InvoiceSnapshot {
  status: InvoiceStatus;
  client: InvoiceParty;
  placeOfSupply: { code: string; name: string };
  lines: InvoiceLine[];
  totals: DocumentTotals;
  dueInDays: number;
  dueOn: string;
  dueDate: Date;
  notes?: string;
}

/** One earlier revision of an invoice and why it changed. */
export interface InvoiceRevision {
  revision: number;
  /** When the change that replaced this revision was made. */
  replacedAt: Date;
  replacedBy?: string;
  reason: string;
  snapshot: InvoiceSnapshot;
}

/**
 * A tax invoice as data: what is stored, rendered and sent. Amounts are integer paise; instants
 * are UTC `Date`s; `issuedOn`/`dueOn` are calendar dates (`YYYY-MM-DD`) in `timeZone`.
 * `revision` counts amendments (the store's own `version` counts every write).
 */
export interface InvoiceDocument extends DocumentTotals {
  documentType: 'tax_invoice';
  number: string;
  /** `2026-27`. */
  financialYear: string;
  status: InvoiceStatus;
  revision: number;
  history: InvoiceRevision[];
  milestoneId: string;
  milestoneTitle: string;
  projectId?: string;
  supplier: InvoiceParty & { name: string; gstin: string; address: string };
  client: InvoiceParty;
  /** `client.name`, top level for queries and reports. */
  clientName: string;
  placeOfSupply: { code: string; name: string };
  taxOptions: TaxOptions;
  currency: 'INR';
  issueDate: Date;
  issuedOn: string;
  dueInDays: number;
  dueOn: string;
  /** The start of the due day in `timeZone`; overdue from the start of the next day. */
  dueDate: Date;
  timeZone: string;
  lines: InvoiceLine[];
  share: MilestoneShare;
  amountPaid: number;
  amountCredited: number;
  /** What the client still owes; never negative. */
  balance: number;
  /** Paid and credited beyond the total: owed back to the client or held as an advance. */
  overpaid: number;
  payments: PaymentRecord[];
  creditNotes: CreditNoteRef[];
  /** The payment provider's order or link id, matched by reconciliation. */
  providerOrderId?: string;
  approvedAt?: Date;
  approvedBy?: string;
  sentAt?: Date;
  paidAt?: Date;
  cancelledAt?: Date;
  cancelReason?: string;
  dispute?: InvoiceDispute;
  notes?: string;
}

/**
 * A GST credit note: a separate document with its own number series, positive amounts, and the
 * number and date of the invoice it credits. Its total reduces that invoice's balance.
 */
export interface CreditNoteDocument extends DocumentTotals {
  documentType: 'credit_note';
  number: string;
  financialYear: string;
  status: 'issued';
  originalInvoice: { number: string; issueDate: Date; issuedOn: string; financialYear: string; milestoneId: string };
  reason: string;
  supplier: InvoiceDocument['supplier'];
  client: InvoiceParty;
  clientName: string;
  placeOfSupply: { code: string; name: string };
  taxOptions: TaxOptions;
  currency: 'INR';
  issueDate: Date;
  issuedOn: string;
  timeZone: string;
  /** Lines credited, each naming the invoice line it reduces. */
  lines: Array<InvoiceLine & { invoiceLineNo: number }>;
}
