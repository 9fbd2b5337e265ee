import { percentOf } from '../money/index.ts';
import type { MilestoneDoc, MilestonePayment } from './collections.ts';

/** A milestone as the API, exports and events show it. */
export interface MilestoneView {
  id: string;
  projectId: string;
  parentId?: string;
  kind: MilestoneDoc['kind'];
  title: string;
  description?: string;
  type?: string;
  category?: string;
  tags: string[];
  priority?: MilestoneDoc['priority'];
  risk?: MilestoneDoc['risk'];
  complexity?: string;
  region?: string;
  plannedStart?: string;
  dueDate?: string;
  gracePeriodDays?: number;
  percentComplete: number;
  /** `value` is what the milestone pays in paise: the amount, or the percentage of the contract value. */
  payment?: MilestonePayment & { value?: number };
  owners: MilestoneDoc['owners'];
  dependencies: MilestoneDoc['dependencies'];
  verificationMethod?: MilestoneDoc['verificationMethod'];
  visibility?: string[];
  customFields?: Record<string, unknown>;
  status: string;
  statusCategory: MilestoneDoc['statusCategory'];
  workflow: MilestoneDoc['workflow'];
  verification?: MilestoneDoc['verification'];
  source?: MilestoneDoc['source'];
  /** Past its due date plus grace, on the tenant's calendar, and not closed. */
  overdue: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  statusChangedAt: Date;
  startedAt?: Date;
  completedAt?: Date;
}

const OPTIONAL = [
  'parentId',
  'description',
  'type',
  'category',
  'priority',
  'risk',
  'complexity',
  'region',
  'plannedStart',
  'dueDate',
  'gracePeriodDays',
  'verificationMethod',
  'visibility',
  'customFields',
  'verification',
  'source',
  'startedAt',
  'completedAt',
] as const;

/** True when the milestone is open and the tenant's `today` is after its due date plus grace. */
export function isOverdue(doc: Pick<MilestoneDoc, 'overdueAfter' | 'statusCategory'>, today: string): boolean {
  return doc.overdueAfter !== undefined && doc.overdueAfter < today && (doc.statusCategory === 'not_started' || doc.statusCategory === 'active');
}

/** Basis points of a percentage with at most two decimals (12.5% → 1250). */
export function percentToBasisPoints(percent: number): number {
  return Math.round(percent * 100);
}

/** What a milestone pays, in paise, given its project's contract value; 0 without payment terms. */
export function paymentValue(payment: MilestonePayment | undefined, contractValue: number | undefined): number {
  if (!payment) return 0;
  if (payment.amount !== undefined) return payment.amount;
  if (payment.percent !== undefined && contractValue !== undefined) return percentOf(contractValue, percentToBasisPoints(payment.percent));
  return 0;
}

/**
 * The public view of a stored milestone. `today` (the tenant's) decides `overdue`; the project's
 * `contractValue` gives percentage payments their value.
 */
export function milestoneView(doc: MilestoneDoc, context: { today: string; contractValue?: number | undefined }): MilestoneView {
  const view: MilestoneView = {
    id: doc._id,
    projectId: doc.projectId,
    kind: doc.kind,
    title: doc.title,
    tags: doc.tags ?? [],
    percentComplete: doc.percentComplete ?? 0,
    owners: doc.owners ?? [],
    dependencies: doc.dependencies ?? [],
    status: doc.status,
    statusCategory: doc.statusCategory,
    workflow: doc.workflow,
    overdue: isOverdue(doc, context.today),
    version: doc.revision,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    statusChangedAt: doc.statusChangedAt,
  };
  const out = view as unknown as Record<string, unknown>;
  for (const field of OPTIONAL) if (doc[field] !== undefined) out[field] = doc[field];
  if (doc.payment) {
    const value = doc.payment.amount !== undefined || context.contractValue !== undefined ? paymentValue(doc.payment, context.contractValue) : undefined;
    view.payment = { ...doc.payment, ...(value === undefined ? {} : { value }) };
  }
  return view;
}

/** The facts guards, rules and conditional dependencies read about a milestone. */
export function milestoneFacts(doc: MilestoneDoc): Record<string, unknown> {
  return {
    id: doc._id,
    projectId: doc.projectId,
    kind: doc.kind,
    title: doc.title,
    type: doc.type,
    category: doc.category,
    tags: doc.tags ?? [],
    priority: doc.priority,
    risk: doc.risk,
    complexity: doc.complexity,
    region: doc.region,
    plannedStart: doc.plannedStart,
    dueDate: doc.dueDate,
    gracePeriodDays: doc.gracePeriodDays,
    percentComplete: doc.percentComplete ?? 0,
    payment: doc.payment,
    owners: doc.owners ?? [],
    status: doc.status,
    statusCategory: doc.statusCategory,
    customFields: doc.customFields ?? {},
  };
}

/**
 * What a `milestone.created` event carries: enough to route and announce it (project, place in
 * the hierarchy, title, status, due date, owners). Followers that need every field read the
 * milestone by id, which also gives them its latest state.
 */
export interface MilestoneSummary {
  id: string;
  projectId: string;
  parentId?: string;
  kind: MilestoneDoc['kind'];
  title: string;
  status: string;
  dueDate?: string;
  owners: MilestoneDoc['owners'];
  version: number;
}

/** The summary of a milestone for events; without undefined members. */
export function milestoneSummary(doc: Pick<MilestoneDoc, '_id' | 'projectId' | 'parentId' | 'kind' | 'title' | 'status' | 'dueDate' | 'owners' | 'revision'>): MilestoneSummary {
  return {
    id: doc._id,
    projectId: doc.projectId,
    ...(doc.parentId === undefined ? {} : { parentId: doc.parentId }),
    kind: doc.kind,
    title: doc.title,
    status: doc.status,
    ...(doc.dueDate === undefined ? {} : { dueDate: doc.dueDate }),
    owners: doc.owners ?? [],
    version: doc.revision,
  };
}
