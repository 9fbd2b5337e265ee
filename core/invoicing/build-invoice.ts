import { dateInZone, financialYear, isPaise, isValidTimeZone, percentOf } from '../money/index.ts';
import { checkClient, checkSupplier, stateNameOf } from './check-parties.ts';
import { checkGstRate, computeDocumentTotals, isHsnSac } from './compute-totals.ts';
import type {
  ClientDetails,
  InvoiceDocument,
  InvoiceMilestone,
  InvoiceParty,
  MilestoneShare,
  SupplierDetails,
} from './invoice-types.ts';
import { refuse, succeed } from './invoicing-result.ts';
import type { InvoiceIssue, InvoicingResult } from './invoicing-result.ts';
import { checkDocumentNumber } from './numbering-scheme.ts';
import { addDaysToIsoDate, startOfLocalDay } from './zoned-day.ts';

/** Per-tenant choices for building invoices. */
export interface BuildInvoiceOptions {
  /** Add a separate round-off line so the total is whole rupees. @default false */
  roundOffToRupee?: boolean;
  /** Two-digit GST code of the place of supply. @default the client's state code */
  placeOfSupply?: string;
  /** Supply to an SEZ unit or developer (always IGST). @default false */
  sez?: boolean;
  /** Tax payable by the recipient under reverse charge. @default false */
  reverseCharge?: boolean;
  /** Used when the payment terms name no `dueInDays`. @default 30 */
  defaultDueInDays?: number;
  /** The payment provider's order id, for reconciliation. */
  providerOrderId?: string;
  notes?: string;
}

/** Everything an invoice for one milestone needs. Amounts in paise. */
export interface BuildInvoiceInput {
  supplier: SupplierDetails;
  client: ClientDetails;
  milestone: InvoiceMilestone;
  /** Needed when the terms give a percent of the contract value. */
  contractValue?: number;
  /**
   * Cumulative percent complete (0–100, two decimals): bills that share of the milestone less
   * what was invoiced on it before (`alreadyInvoiced`).
   */
  percentComplete?: number;
  /** Bills this percent of the milestone now (0–100, two decimals), whatever was billed before. */
  partialPercent?: number;
  /** Taxable value already invoiced on this milestone, in paise. @default 0 */
  alreadyInvoiced?: number;
  issueDate: Date;
  /** The tenant's IANA zone: the calendar of the issue and due dates and of the financial year. */
  timeZone: string;
  number: string;
  options?: BuildInvoiceOptions;
}

/** A percent with at most two decimals, as basis points; undefined when it is not one. */
function toBasisPoints(percent: unknown): number | undefined {
  if (typeof percent !== 'number' || !Number.isFinite(percent)) return undefined;
  const bp = Math.round(percent * 100);
  if (Math.abs(percent * 100 - bp) > 1e-6 || bp > 10_000 || bp <= 0) return undefined;
  return bp;
}

interface CheckedDates {
  issuedOn: string;
  financialYear: string;
}

/** Supplier and dates checked once for a batch. */
export interface InvoiceContext {
  supplier: InvoiceDocument['supplier'];
  issueDate: Date;
  timeZone: string;
  dates: CheckedDates;
  options: BuildInvoiceOptions;
}

/** Checks what a batch shares: the supplier, the issue date, the zone and the options. */
export function checkInvoiceContext(input: {
  supplier: SupplierDetails;
  issueDate: Date;
  timeZone: string;
  options?: BuildInvoiceOptions;
}): InvoicingResult<InvoiceContext> {
  const issues: InvoiceIssue[] = [];
  const supplier = checkSupplier(input.supplier, issues);
  const validDate = input.issueDate instanceof Date && !Number.isNaN(input.issueDate.getTime());
  if (!validDate) issues.push({ path: 'issueDate', code: 'invalid_date', message: 'the issue date must be a valid date' });
  const zoneOk = isValidTimeZone(input.timeZone);
  if (!zoneOk) issues.push({ path: 'timeZone', code: 'invalid_time_zone', message: `'${String(input.timeZone)}' is not a known time zone` });
  const options = input.options ?? {};
  if (options.placeOfSupply !== undefined && stateNameOf(options.placeOfSupply) === undefined) {
    issues.push({ path: 'options.placeOfSupply', code: 'invalid_state_code', message: `'${String(options.placeOfSupply)}' is not a GST state code` });
  }
  if (options.defaultDueInDays !== undefined && !isDueDays(options.defaultDueInDays)) {
    issues.push({ path: 'options.defaultDueInDays', code: 'invalid_due_days', message: 'due days must be a whole number from 0 to 3650' });
  }
  if (issues.length > 0 || !supplier) return refuse(issues);
  return succeed({
    supplier,
    issueDate: input.issueDate,
    timeZone: input.timeZone,
    dates: {
      issuedOn: dateInZone(input.issueDate, input.timeZone),
      financialYear: financialYear(input.issueDate, input.timeZone).label,
    },
    options,
  });
}

function isDueDays(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 3650;
}

/**
 * Builds a draft tax invoice for a milestone: one line from its payment terms (a fixed amount, or
 * a percent of the contract value; partially by percent complete), the GST split, HSN/SAC, the
 * supplier's GSTIN, the place of supply, the amount in words and the due date on the tenant's
 * calendar. Pure: nothing is stored, so it also serves as the preview.
 */
export function buildInvoice(input: BuildInvoiceInput): InvoicingResult<InvoiceDocument> {
  const context = checkInvoiceContext(input);
  // The options belong to the context here; passing them again would report their problems twice.
  const { options: _shared, ...own } = input;
  const item = buildInvoiceInContext(context.ok ? context.value : undefined, own);
  if (context.ok) return item;
  // Report the shared problems and the item's own together.
  return refuse([...context.error.issues, ...(item.ok ? [] : item.error.issues)]);
}

/** {@link buildInvoice} for one item of a batch whose shared context was checked already. */
export function buildInvoiceInContext(
  context: InvoiceContext | undefined,
  input: Pick<BuildInvoiceInput, 'client' | 'milestone' | 'contractValue' | 'percentComplete' | 'partialPercent' | 'alreadyInvoiced' | 'number'> & {
    options?: BuildInvoiceOptions;
  },
): InvoicingResult<InvoiceDocument> {
  const issues: InvoiceIssue[] = [];
  const numberIssue = checkDocumentNumber(input.number);
  if (numberIssue) issues.push(numberIssue);
  const client = checkClient(input.client, issues);
  const share = checkShare(input, issues);
  const options = { ...(context?.options ?? {}), ...(input.options ?? {}) };
  const terms = input.milestone?.payment;
  const dueInDays = terms?.dueInDays ?? options.defaultDueInDays ?? 30;
  if (!isDueDays(dueInDays)) issues.push({ path: 'milestone.payment.dueInDays', code: 'invalid_due_days', message: 'due days must be a whole number from 0 to 3650' });
  if (input.options?.placeOfSupply !== undefined && stateNameOf(input.options.placeOfSupply) === undefined) {
    issues.push({ path: 'options.placeOfSupply', code: 'invalid_state_code', message: `'${String(input.options.placeOfSupply)}' is not a GST state code` });
  }
  if (issues.length > 0 || !context || !client || !share || !terms) return refuse(issues);

  const placeCode = options.placeOfSupply ?? client.stateCode;
  const taxOptions = {
    roundOffToRupee: options.roundOffToRupee ?? false,
    sez: options.sez ?? false,
    reverseCharge: options.reverseCharge ?? false,
  };
  const computed = computeDocumentTotals(
    [
      {
        description: describeLine(input.milestone, share),
        ...(terms.hsnSac !== undefined ? { hsnSac: terms.hsnSac } : {}),
        taxableValue: share.billed,
        gstRate: terms.gstRate,
      },
    ],
    { supplierState: context.supplier.stateCode, placeOfSupply: placeCode, taxOptions },
  );
  if (!computed.ok) return computed;

  const dueOn = addDaysToIsoDate(context.dates.issuedOn, dueInDays);
  const invoice: InvoiceDocument = {
    documentType: 'tax_invoice',
    number: input.number,
    financialYear: context.dates.financialYear,
    status: 'draft',
    revision: 1,
    history: [],
    milestoneId: input.milestone.id,
    milestoneTitle: input.milestone.title.trim(),
    ...(input.milestone.projectId !== undefined ? { projectId: input.milestone.projectId } : {}),
    supplier: context.supplier,
    client,
    clientName: client.name,
    placeOfSupply: { code: placeCode, name: stateNameOf(placeCode) ?? placeCode },
    taxOptions,
    currency: 'INR',
    issueDate: context.issueDate,
    issuedOn: context.dates.issuedOn,
    dueInDays,
    dueOn,
    dueDate: startOfLocalDay(dueOn, context.timeZone),
    timeZone: context.timeZone,
    lines: computed.value.lines,
    ...computed.value.totals,
    share,
    amountPaid: 0,
    amountCredited: 0,
    balance: computed.value.totals.total,
    overpaid: 0,
    payments: [],
    creditNotes: [],
    ...(options.providerOrderId !== undefined ? { providerOrderId: options.providerOrderId } : {}),
    ...(options.notes !== undefined ? { notes: options.notes } : {}),
  };
  return succeed(invoice);
}

function describeLine(milestone: InvoiceMilestone, share: MilestoneShare): string {
  const title = milestone.title.trim();
  if (share.basis === 'percent_complete') {
    return `${title} - ${share.percent}% complete${share.previouslyInvoiced > 0 ? ', less amounts invoiced earlier' : ''}`;
  }
  if (share.basis === 'partial_percent') return `${title} - ${share.percent}% of the milestone value`;
  return share.previouslyInvoiced > 0 ? `${title} - balance of the milestone value` : title;
}

function checkShare(
  input: Pick<BuildInvoiceInput, 'milestone' | 'contractValue' | 'percentComplete' | 'partialPercent' | 'alreadyInvoiced'>,
  issues: InvoiceIssue[],
): MilestoneShare | undefined {
  const before = issues.length;
  const milestone = input.milestone as Partial<InvoiceMilestone> | undefined;
  if (!milestone || typeof milestone !== 'object') {
    issues.push({ path: 'milestone', code: 'payment_terms_missing', message: 'the milestone is required' });
    return undefined;
  }
  if (typeof milestone.id !== 'string' || milestone.id === '') {
    issues.push({ path: 'milestone.id', code: 'payment_terms_missing', message: 'the milestone id is required' });
  }
  if (typeof milestone.title !== 'string' || milestone.title.trim() === '') {
    issues.push({ path: 'milestone.title', code: 'payment_terms_missing', message: 'the milestone title is required' });
  }
  const terms = milestone.payment;
  if (!terms || typeof terms !== 'object') {
    issues.push({ path: 'milestone.payment', code: 'payment_terms_missing', message: 'the milestone has no payment terms' });
    return undefined;
  }
  issues.push(...checkGstRate(terms.gstRate, 'milestone.payment.gstRate'));
  if (terms.hsnSac !== undefined && !isHsnSac(terms.hsnSac)) {
    issues.push({ path: 'milestone.payment.hsnSac', code: 'invalid_hsn_sac', message: 'HSN/SAC must be a 4, 6 or 8 digit code' });
  }

  let milestoneAmount: number | undefined;
  const hasAmount = terms.amount !== undefined && terms.amount !== null;
  const hasPercent = terms.percent !== undefined && terms.percent !== null;
  if (hasAmount && hasPercent) {
    issues.push({ path: 'milestone.payment', code: 'payment_terms_ambiguous', message: 'payment terms give both an amount and a percent; keep one' });
  } else if (hasAmount) {
    if (!isPaise(terms.amount) || terms.amount <= 0) {
      issues.push({ path: 'milestone.payment.amount', code: 'invalid_amount', message: 'the amount must be a positive whole number of paise' });
    } else milestoneAmount = terms.amount;
  } else if (hasPercent) {
    const bp = toBasisPoints(terms.percent);
    if (bp === undefined) {
      issues.push({ path: 'milestone.payment.percent', code: 'invalid_percent', message: 'the percent must be above 0 and at most 100, with at most two decimals' });
    }
    if (input.contractValue === undefined || input.contractValue === null) {
      issues.push({ path: 'contractValue', code: 'contract_value_required', message: 'a percent of the contract value needs the contract value' });
    } else if (!isPaise(input.contractValue) || input.contractValue <= 0) {
      issues.push({ path: 'contractValue', code: 'invalid_amount', message: 'the contract value must be a positive whole number of paise' });
    } else if (bp !== undefined) {
      milestoneAmount = percentOf(input.contractValue, bp);
      if (milestoneAmount <= 0) {
        issues.push({ path: 'milestone.payment.percent', code: 'invalid_amount', message: 'the percent of the contract value rounds to nothing' });
      }
    }
  } else {
    issues.push({ path: 'milestone.payment', code: 'payment_terms_missing', message: 'payment terms need an amount or a percent of the contract value' });
  }

  const previouslyInvoiced = input.alreadyInvoiced ?? 0;
  if (!isPaise(previouslyInvoiced) || previouslyInvoiced < 0) {
    issues.push({ path: 'alreadyInvoiced', code: 'invalid_amount', message: 'the amount already invoiced must be zero or more paise' });
  }
  const hasComplete = input.percentComplete !== undefined && input.percentComplete !== null;
  const hasPartial = input.partialPercent !== undefined && input.partialPercent !== null;
  if (hasComplete && hasPartial) {
    issues.push({ path: 'percentComplete', code: 'invalid_percent', message: 'give either percentComplete or partialPercent, not both' });
  }
  const percent = hasComplete ? input.percentComplete : input.partialPercent;
  const bp = hasComplete || hasPartial ? toBasisPoints(percent) : 10_000;
  if (bp === undefined) {
    issues.push({
      path: hasComplete ? 'percentComplete' : 'partialPercent',
      code: 'invalid_percent',
      message: 'the percent must be above 0 and at most 100, with at most two decimals',
    });
  }
  if (issues.length > before || milestoneAmount === undefined || bp === undefined) return undefined;

  const basis: MilestoneShare['basis'] = hasComplete ? 'percent_complete' : hasPartial ? 'partial_percent' : 'full';
  const portion = percentOf(milestoneAmount, bp);
  const billed = basis === 'partial_percent' ? portion : portion - previouslyInvoiced;
  if (billed <= 0) {
    issues.push({
      path: hasComplete ? 'percentComplete' : 'alreadyInvoiced',
      code: 'nothing_to_invoice',
      message: 'everything up to this point of the milestone has been invoiced already',
    });
    return undefined;
  }
  if (previouslyInvoiced + billed > milestoneAmount) {
    issues.push({
      path: 'partialPercent',
      code: 'exceeds_milestone_amount',
      message: 'this invoice would bill more than the milestone is worth',
    });
    return undefined;
  }
  return {
    milestoneAmount,
    basis,
    ...(basis === 'full' ? {} : { percent: bp / 100 }),
    previouslyInvoiced,
    billed,
  };
}
