import { decodeAfterCursor, encodeAfterCursor, type FieldIssue } from '../domain/index.ts';
import { projectsCollection } from '../projects/index.ts';
import type { Filter, TenantStore } from '../store/index.ts';
import { milestonesCollection, type MilestoneDoc } from './collections.ts';

/** Filters of {@link listMilestones}; all optional and combined with AND. */
export interface MilestoneFilter {
  projectId?: string | undefined;
  parentId?: string | undefined;
  kind?: MilestoneDoc['kind'] | undefined;
  /** One status or several (any of them). */
  status?: string | readonly string[] | undefined;
  /** A person id, `team:<name>` or `department:<name>`. */
  owner?: string | undefined;
  /** Every tag listed must be present. */
  tags?: readonly string[] | undefined;
  /** `YYYY-MM-DD`, exclusive. */
  dueBefore?: string | undefined;
  dueAfter?: string | undefined;
  overdue?: boolean | undefined;
  /** Case-insensitive part of the title. */
  q?: string | undefined;
}

/** True when an API key with `role` may see the milestone: admins see all, others what its visibility lists. */
export function canSee(doc: Pick<MilestoneDoc, 'visibility'>, role: string | undefined): boolean {
  return role === undefined || role === 'admin' || !doc.visibility || doc.visibility.length === 0 || doc.visibility.includes(role);
}

/** A live milestone, or null when there is none or `role` may not see it. */
export async function getMilestone(db: TenantStore, id: string, options: { role?: string | undefined } = {}): Promise<MilestoneDoc | null> {
  const doc = await db.collection(milestonesCollection).findOne({ _id: id, deletedAt: { $exists: false } });
  return doc && canSee(doc, options.role) ? doc : null;
}

/**
 * The filter document for `filter`. The embedded store's sorted reads (lists) start from the most
 * selective single-field equality index of the filter; its other reads (counts, updates) use the
 * last one they find, so keys are ordered to put the most selective one present last.
 */
export function milestoneQuery(filter: MilestoneFilter, options: { today: string; role?: string | undefined }): Filter {
  const and: Filter[] = [];
  const query: Filter = { deletedAt: { $exists: false } };
  if (filter.overdue === true) {
    query.statusCategory = { $in: ['not_started', 'active'] };
    query.overdueAfter = { $lt: options.today };
  } else if (filter.overdue === false) {
    and.push({ $or: [{ overdueAfter: { $exists: false } }, { overdueAfter: { $gte: options.today } }, { statusCategory: { $in: ['done', 'cancelled'] } }] });
  }
  if (filter.status !== undefined) {
    const statuses = typeof filter.status === 'string' ? [filter.status] : [...filter.status];
    query.status = statuses.length === 1 ? statuses[0] : { $in: statuses };
  }
  if (filter.kind) query.kind = filter.kind;
  if (filter.q) query.title = { $regex: new RegExp(filter.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') };
  const tags = [...new Set(filter.tags ?? [])];
  if (tags.length > 0) {
    query.tags = tags[0];
    for (const tag of tags.slice(1)) and.push({ tags: tag });
  }
  if (filter.dueBefore || filter.dueAfter) {
    query.dueDate = { ...(filter.dueAfter ? { $gt: filter.dueAfter } : {}), ...(filter.dueBefore ? { $lt: filter.dueBefore } : {}) };
  } else if (filter.overdue === true) {
    // Implied by overdueAfter < today (grace is never negative), and dueDate is indexed.
    query.dueDate = { $lt: options.today };
  }
  if (filter.projectId) query.projectId = filter.projectId;
  if (filter.owner) query.ownerRefs = filter.owner;
  if (filter.parentId) query.parentId = filter.parentId;
  if (options.role !== undefined && options.role !== 'admin') {
    and.push({ $or: [{ visibility: { $exists: false } }, { visibility: options.role }] });
  }
  if (and.length > 0) query.$and = and;
  return query;
}

/** Checks list filters the way the API takes them; returns issues at `query.<name>`. */
export function checkMilestoneFilter(filter: MilestoneFilter, knownStatuses: readonly string[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const statuses = filter.status === undefined ? [] : typeof filter.status === 'string' ? [filter.status] : filter.status;
  for (const status of statuses) {
    if (!knownStatuses.includes(status)) {
      issues.push({ path: 'query.status', message: `'${status}' is not a status (${knownStatuses.join(', ')})`, code: 'unknown_status' });
    }
  }
  for (const field of ['dueBefore', 'dueAfter'] as const) {
    const value = filter[field];
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) issues.push({ path: `query.${field}`, message: 'must be a date written YYYY-MM-DD', code: 'invalid_date' });
  }
  return issues;
}

/**
 * Milestones matching `filter`, in creation order, a page at a time, hiding what `role` may not
 * see. Each page comes with the contract values of its projects, for payment values.
 *
 * @example await listMilestones(db, { projectId, status: 'in_progress', overdue: true }, { today: '2025-06-30', limit: 50 })
 */
export async function listMilestones(
  db: TenantStore,
  filter: MilestoneFilter,
  options: { today: string; role?: string | undefined; limit?: number | undefined; cursor?: string | null | undefined },
): Promise<{ items: MilestoneDoc[]; nextCursor: string | null; contractValues: Map<string, number> }> {
  const limit = Math.max(1, Math.min(options.limit ?? 50, 1000));
  const query = milestoneQuery(filter, options);
  if (options.cursor) query._id = { $gt: decodeAfterCursor(options.cursor, 'string') };
  const rows = await db.collection(milestonesCollection).find(query, { sort: { _id: 1 }, limit: limit + 1 });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeAfterCursor(last._id) : null, contractValues: await contractValuesOf(db, items) };
}

/** The contract value of each project whose milestones pay a percentage of it. */
export async function contractValuesOf(db: TenantStore, docs: readonly Pick<MilestoneDoc, 'projectId' | 'payment'>[]): Promise<Map<string, number>> {
  const ids = [...new Set(docs.filter((d) => d.payment?.percent !== undefined).map((d) => d.projectId))];
  if (ids.length === 0) return new Map();
  const projects = await db.collection(projectsCollection).find({ _id: ids.length === 1 ? ids[0] : { $in: ids } }, { projection: { _id: 1, contractValue: 1 } });
  return new Map(projects.map((p) => [p._id, p.contractValue]));
}
