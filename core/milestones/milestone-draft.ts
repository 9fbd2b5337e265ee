import type { MilestoneDoc } from './collections.ts';

/** The fields of a milestone its writers set; the rest is derived or kept by the hub. */
export type MilestoneDraft = Pick<
  MilestoneDoc,
  | 'projectId'
  | 'parentId'
  | 'kind'
  | 'title'
  | 'description'
  | 'type'
  | 'category'
  | 'tags'
  | 'priority'
  | 'risk'
  | 'complexity'
  | 'region'
  | 'plannedStart'
  | 'dueDate'
  | 'gracePeriodDays'
  | 'percentComplete'
  | 'payment'
  | 'owners'
  | 'dependencies'
  | 'verificationMethod'
  | 'visibility'
  | 'customFields'
>;

/** The writable fields, in the order they are shown and exported. */
export const DRAFT_FIELDS = [
  'projectId',
  'parentId',
  'kind',
  'title',
  'description',
  'type',
  'category',
  'tags',
  'priority',
  'risk',
  'complexity',
  'region',
  'plannedStart',
  'dueDate',
  'gracePeriodDays',
  'percentComplete',
  'payment',
  'owners',
  'dependencies',
  'verificationMethod',
  'visibility',
  'customFields',
] as const satisfies readonly (keyof MilestoneDraft)[];

/** The draft part of a stored milestone. */
export function draftOf(doc: MilestoneDoc): MilestoneDraft {
  const draft: Record<string, unknown> = {};
  for (const field of DRAFT_FIELDS) if (doc[field] !== undefined) draft[field] = doc[field];
  return draft as MilestoneDraft;
}

/** Owner references for lookups: a person's id, `team:<name>`, `department:<name>`. */
export function ownerRefOf(owner: { kind: string; ref: string }): string {
  return owner.kind === 'individual' ? owner.ref : `${owner.kind}:${owner.ref}`;
}

/** Adds `days` to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** The fields derived from a draft: owner references and the day after which it is overdue. */
export function derivedFields(draft: MilestoneDraft): Pick<MilestoneDoc, 'ownerRefs' | 'overdueAfter'> {
  return {
    ownerRefs: [...new Set((draft.owners ?? []).map(ownerRefOf))],
    ...(draft.dueDate === undefined ? {} : { overdueAfter: addDays(draft.dueDate, draft.gracePeriodDays ?? 0) }),
  };
}

/**
 * What a milestone's creation records in the audit log: the fields its writer set (empty lists
 * and zero progress left out), its status, workflow and source. Derived and bookkeeping fields
 * follow from these, and leaving them out keeps bulk creations quick to hash.
 */
export function creationRecord(doc: MilestoneDraft & Pick<MilestoneDoc, 'status' | 'workflow' | 'source'>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const field of DRAFT_FIELDS) {
    const value = doc[field];
    if (value === undefined || (Array.isArray(value) && value.length === 0) || (field === 'percentComplete' && value === 0)) continue;
    record[field] = value;
  }
  record.status = doc.status;
  record.workflow = doc.workflow;
  if (doc.source) record.source = doc.source;
  return record;
}
