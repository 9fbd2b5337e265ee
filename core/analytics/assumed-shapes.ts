/**
 * The document shapes the analytics pipelines read. The milestone core owns the real documents;
 * where its field names differ, pass the matching `*Fields` override instead of changing the
 * pipelines. Dates are `Date`s, except that a milestone's due date may be a calendar day
 * (`YYYY-MM-DD`) read at the tenant's UTC offset (`dueDayOffset`); money is integer paise.
 */

/** A milestone as the analytics read it. */
export interface AnalyticsMilestone {
  _id: string;
  projectId: string;
  /** The workflow state id (`planned`, `in_progress`, `verified`, `paid`, `cancelled`…). */
  status: string;
  /** The state's category (`not_started`, `active`, `done`, `cancelled`); wins over `status` when present. */
  statusCategory?: string;
  dueDate?: Date;
  completedAt?: Date;
  percentComplete: number;
  owners: Array<{ ref: string; role: string }>;
  delay?: { category: string; text: string };
  payment?: { amount?: number; percent?: number; gstRate?: number; dueInDays?: number };
  clientName?: string;
}

/** An invoice as the analytics read it (the fields of `InvoiceDocument` in core/invoicing). */
export interface AnalyticsInvoice {
  number: string;
  status: string;
  total: number;
  balance: number;
  /** The start of the due day in the tenant's zone. */
  dueDate: Date;
  sentAt?: Date;
  paidAt?: Date;
  clientName: string;
}

/** An escalation as the analytics read it. */
export interface AnalyticsEscalation {
  level: number;
  trigger: string;
  openedAt: Date;
  resolvedAt?: Date;
}

/** One verification round of a milestone. */
export interface AnalyticsVerification {
  submittedAt: Date;
  verifiedAt?: Date;
}

/** Where each milestone field lives (dotted paths). */
export interface MilestoneFields {
  status: string;
  statusCategory: string;
  dueDate: string;
  completedAt: string;
  projectId: string;
  owners: string;
  /** Inside one element of `owners`. */
  ownerRef: string;
  /** Inside one element of `owners`. */
  ownerRole: string;
  delayCategory: string;
  delayText: string;
  amount: string;
  /** Percent of the project's contract value, for milestones priced that way. */
  percent: string;
  /** GST rate in percent. */
  gstRate: string;
  paymentDueInDays: string;
  clientName: string;
}

export const MILESTONE_FIELDS: Readonly<MilestoneFields> = Object.freeze({
  status: 'status',
  statusCategory: 'statusCategory',
  dueDate: 'dueDate',
  completedAt: 'completedAt',
  projectId: 'projectId',
  owners: 'owners',
  ownerRef: 'ref',
  ownerRole: 'role',
  delayCategory: 'delay.category',
  delayText: 'delay.text',
  amount: 'payment.amount',
  percent: 'payment.percent',
  gstRate: 'payment.gstRate',
  paymentDueInDays: 'payment.dueInDays',
  clientName: 'clientName',
});

/** A project as the cash-flow projection reads it: whose milestones they are, and what they are worth. */
export interface AnalyticsProject {
  _id: string;
  client: { name: string; stateCode?: string };
  /** Paise. */
  contractValue?: number;
}

/** Where each project field lives. */
export interface ProjectFields {
  clientName: string;
  clientStateCode: string;
  contractValue: string;
}

export const PROJECT_FIELDS: Readonly<ProjectFields> = Object.freeze({
  clientName: 'client.name',
  clientStateCode: 'client.stateCode',
  contractValue: 'contractValue',
});

/** Where each invoice field lives. */
export interface InvoiceFields {
  status: string;
  total: string;
  balance: string;
  dueDate: string;
  sentAt: string;
  paidAt: string;
  clientName: string;
}

export const INVOICE_FIELDS: Readonly<InvoiceFields> = Object.freeze({
  status: 'status',
  total: 'total',
  balance: 'balance',
  dueDate: 'dueDate',
  sentAt: 'sentAt',
  paidAt: 'paidAt',
  clientName: 'clientName',
});

/** Where each escalation field lives. */
export interface EscalationFields {
  level: string;
  trigger: string;
  openedAt: string;
  resolvedAt: string;
}

export const ESCALATION_FIELDS: Readonly<EscalationFields> = Object.freeze({
  level: 'level',
  trigger: 'trigger',
  openedAt: 'openedAt',
  resolvedAt: 'resolvedAt',
});

/** Where each verification field lives. */
export interface VerificationFields {
  submittedAt: string;
  verifiedAt: string;
}

export const VERIFICATION_FIELDS: Readonly<VerificationFields> = Object.freeze({
  submittedAt: 'submittedAt',
  verifiedAt: 'verifiedAt',
});

/** Workflow states that count as done or cancelled when a milestone has no `statusCategory`. */
export interface StatusSets {
  done: string[];
  cancelled: string[];
}

/** The default workflow's states: work is done once verified. */
export const DEFAULT_STATUS_SETS: Readonly<StatusSets> = Object.freeze({
  done: ['verified', 'invoiced', 'paid'],
  cancelled: ['cancelled'],
});

/** Invoice statuses that still have money to collect. */
export const OPEN_INVOICE_STATUSES: readonly string[] = Object.freeze(['sent', 'partially_paid']);
