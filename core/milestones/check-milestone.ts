import { validateCustomValues, type CustomFieldDefinition } from '../custom-fields/index.ts';
import { getCustomFieldDefinitions } from '../definitions/index.ts';
import { toCalendarDate, type FieldIssue } from '../domain/index.ts';
import { findPeople } from '../people/index.ts';
import type { ProjectDoc } from '../projects/index.ts';
import { dependencySchema, detectCycle, formatCycle, type DependencyEdge } from '../schedule/index.ts';
import type { TenantStore } from '../store/index.ts';
import { milestonesCollection, type MilestoneDoc } from './collections.ts';
import type { MilestoneDraft } from './milestone-draft.ts';
import { checkPaymentSplit, checkPaymentTerms } from './payment-commitments.ts';

/** What the check needs to know besides the draft. */
export interface CheckContext {
  db: TenantStore;
  /** The milestone's id (already chosen for a new one). */
  id: string;
  project: ProjectDoc;
  /** The stored milestone, for an update. */
  before?: MilestoneDoc | undefined;
  /** Fields the write sets; a new milestone checks everything. */
  changed: ReadonlySet<string>;
  /** The project's other milestones, when the caller has them already (bulk writes). */
  siblings?: readonly Sibling[];
  /** The same siblings by id, for bulk writes that check many milestones against one project. */
  siblingIndex?: ReadonlyMap<string, Sibling>;
  /** The tenant's milestone custom field definitions, when the caller has them already. */
  definitions?: readonly CustomFieldDefinition[];
  /** Bulk writes check the payment split and cycles once for the whole batch, not per milestone. */
  bulk?: boolean;
  /** Milestones of the same batch, not stored yet, that parents may name. */
  pending?: ReadonlyMap<string, Pick<MilestoneDoc, 'kind' | 'projectId'>>;
}

/** What the checks read about a project's other milestones. */
export type Sibling = Pick<MilestoneDoc, '_id' | 'kind' | 'dependencies' | 'payment' | 'statusCategory' | 'projectId'>;

/** The result of {@link checkMilestone}: the draft normalised (dates, tags), every issue, and a cycle when one was found. */
export interface MilestoneCheck {
  draft: MilestoneDraft;
  issues: FieldIssue[];
  cycle?: string[];
}

/**
 * Checks a milestone as it would be stored: hierarchy (phase → milestone → sub-milestone within
 * one project), dates (real, due not before start), payment terms and the project's split,
 * owners, dependencies (same project, valid conditions, no cycle) and custom fields. Only the
 * checks that `changed` fields can affect run on an update.
 */
export async function checkMilestone(draft: MilestoneDraft, context: CheckContext): Promise<MilestoneCheck> {
  const { db, id, project, before, changed } = context;
  const creating = before === undefined;
  const touches = (...fields: string[]) => creating || fields.some((f) => changed.has(f));
  const issues: FieldIssue[] = [];
  const out: MilestoneDraft = { ...draft, tags: [...new Set(draft.tags ?? [])] };

  for (const field of ['plannedStart', 'dueDate'] as const) {
    const value = draft[field];
    if (value === undefined || !touches(field)) continue;
    const date = toCalendarDate(value, project.timeZone);
    if (date) out[field] = date;
    else issues.push({ path: field, message: 'must be a real date written YYYY-MM-DD', code: 'invalid_date' });
  }
  if (out.plannedStart && out.dueDate && out.dueDate < out.plannedStart && touches('plannedStart', 'dueDate')) {
    issues.push({ path: 'dueDate', message: `the due date ${out.dueDate} is before the planned start ${out.plannedStart}`, code: 'due_before_start' });
  }

  const needSiblings = touches('payment', 'dependencies') && ((out.dependencies?.length ?? 0) > 0 || out.payment !== undefined);
  const siblings = context.siblings ?? (needSiblings && !context.siblingIndex ? await loadSiblings(db, project._id) : []);
  const index = context.siblingIndex ?? new Map(siblings.map((s) => [s._id, s]));

  if (touches('payment')) {
    const terms = checkPaymentTerms(out.payment);
    issues.push(...terms);
    if (terms.length === 0 && !context.bulk) issues.push(...checkPaymentSplit({ id, mine: out.payment, others: siblings, contractValue: project.contractValue }));
  }
  if (touches('parentId', 'kind')) issues.push(...(await checkHierarchy(db, id, out, before, context.pending)));
  if (touches('owners')) issues.push(...(await checkOwners(db, out)));
  let cycle: string[] | undefined;
  if (touches('dependencies')) {
    const checked = await checkDependencyList(db, id, out, index, context.bulk ? undefined : siblings);
    issues.push(...checked.issues);
    cycle = checked.cycle;
  }
  const definitions = context.definitions ?? (await getCustomFieldDefinitions(db, 'milestone'));
  const customIssues = checkCustomFields(definitions, out, { creating, changed: changed.has('customFields') });
  issues.push(...customIssues.issues);
  if (customIssues.value !== undefined) out.customFields = customIssues.value;
  else delete out.customFields;
  return { draft: out, issues, ...(cycle ? { cycle } : {}) };
}

/** The project's live milestones with what the split and cycle checks read. */
export async function loadSiblings(db: TenantStore, projectId: string): Promise<Sibling[]> {
  return db
    .collection(milestonesCollection)
    .find({ projectId, deletedAt: { $exists: false } }, { projection: { _id: 1, kind: 1, dependencies: 1, payment: 1, statusCategory: 1, projectId: 1 } });
}

async function checkHierarchy(
  db: TenantStore,
  id: string,
  draft: MilestoneDraft,
  before: MilestoneDoc | undefined,
  pending: CheckContext['pending'],
): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  const col = db.collection(milestonesCollection);
  if (draft.kind === 'phase' && draft.parentId !== undefined) {
    issues.push({ path: 'parentId', message: 'a phase sits directly under its project and takes no parent', code: 'invalid_parent' });
  } else if (draft.kind === 'sub-milestone' && draft.parentId === undefined) {
    issues.push({ path: 'parentId', message: 'a sub-milestone needs a parent milestone', code: 'parent_required' });
  } else if (draft.parentId !== undefined) {
    const expected = draft.kind === 'milestone' ? 'phase' : 'milestone';
    const parent =
      draft.parentId === id
        ? null
        : (pending?.get(draft.parentId) ?? (await col.findOne({ _id: draft.parentId, deletedAt: { $exists: false } }, { projection: { _id: 1, kind: 1, projectId: 1 } })));
    if (!parent) issues.push({ path: 'parentId', message: `no milestone '${draft.parentId}' to sit under`, code: 'unknown_parent' });
    else if (parent.projectId !== draft.projectId) issues.push({ path: 'parentId', message: `'${draft.parentId}' belongs to another project`, code: 'parent_in_other_project' });
    else if (parent.kind !== expected) {
      issues.push({ path: 'parentId', message: `a ${draft.kind}'s parent must be a ${expected}, and '${draft.parentId}' is a ${parent.kind}`, code: 'invalid_parent' });
    }
  }
  if (before && before.kind !== draft.kind) {
    const children = await col.find({ parentId: id, deletedAt: { $exists: false } }, { projection: { _id: 1, kind: 1 }, limit: 1000 });
    const allowed = draft.kind === 'phase' ? 'milestone' : draft.kind === 'milestone' ? 'sub-milestone' : undefined;
    const misfit = children.find((child) => child.kind !== allowed);
    if (misfit) {
      issues.push({ path: 'kind', message: `'${id}' has a ${misfit.kind} under it ('${misfit._id}'), which a ${draft.kind} cannot hold`, code: 'invalid_kind' });
    }
  }
  return issues;
}

async function checkOwners(db: TenantStore, draft: MilestoneDraft): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  const owners = draft.owners ?? [];
  const people = await findPeople(db, owners.filter((o) => o.kind === 'individual').map((o) => o.ref));
  const seen = new Set<string>();
  owners.forEach((owner, i) => {
    const key = `${owner.kind}:${owner.ref}`;
    if (seen.has(key)) issues.push({ path: `owners.${i}`, message: `${owner.kind} '${owner.ref}' is listed twice`, code: 'duplicate_owner' });
    seen.add(key);
    if (owner.kind === 'individual' && !people.has(owner.ref)) {
      issues.push({ path: `owners.${i}.ref`, message: `no person '${owner.ref}'`, code: 'unknown_person' });
    }
  });
  if (owners.filter((o) => o.role === 'primary').length > 1) {
    issues.push({ path: 'owners', message: 'a milestone has one primary owner; make the others backups', code: 'several_primaries' });
  }
  return issues;
}

async function checkDependencyList(
  db: TenantStore,
  id: string,
  draft: MilestoneDraft,
  inProject: ReadonlyMap<string, Sibling>,
  siblings: readonly Sibling[] | undefined,
): Promise<{ issues: FieldIssue[]; cycle?: string[] }> {
  const issues: FieldIssue[] = [];
  const dependencies = draft.dependencies ?? [];
  if (dependencies.length === 0) return { issues };
  const outside = dependencies.filter((d) => !inProject.has(d.on) && d.on !== id).map((d) => d.on);
  const elsewhere = outside.length
    ? new Set((await db.collection(milestonesCollection).find({ _id: { $in: outside }, deletedAt: { $exists: false } }, { projection: { _id: 1 } })).map((m) => m._id))
    : new Set<string>();
  const seen = new Set<string>();
  dependencies.forEach((dependency, i) => {
    const at = `dependencies.${i}`;
    const parsed = dependencySchema.safeParse({ milestoneId: id, dependsOn: dependency.on, type: dependency.type, condition: dependency.condition, lagDays: dependency.lagDays });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] === 'dependsOn' ? 'on' : String(issue.path[0] ?? '');
        issues.push({ path: field ? `${at}.${field}` : at, message: issue.message, code: 'invalid_dependency' });
      }
      return;
    }
    if (seen.has(dependency.on)) issues.push({ path: `${at}.on`, message: `'${dependency.on}' is listed twice`, code: 'duplicate_dependency' });
    seen.add(dependency.on);
    if (!inProject.has(dependency.on)) {
      const message = elsewhere.has(dependency.on) ? `'${dependency.on}' belongs to another project` : `no milestone '${dependency.on}'`;
      issues.push({ path: `${at}.on`, message, code: elsewhere.has(dependency.on) ? 'dependency_in_other_project' : 'unknown_milestone' });
    }
  });
  if (issues.length > 0 || !siblings) return { issues };
  const edges: DependencyEdge[] = [];
  for (const sibling of siblings) {
    if (sibling._id === id) continue;
    for (const d of sibling.dependencies ?? []) edges.push({ milestoneId: sibling._id, dependsOn: d.on });
  }
  const cycle = detectCycle(edges, dependencies.map((d) => ({ milestoneId: id, dependsOn: d.on })));
  if (cycle) {
    return {
      issues: [{ path: 'dependencies', message: `dependencies would form a cycle: ${formatCycle(cycle)}`, code: 'dependency_cycle' }],
      cycle,
    };
  }
  return { issues };
}

function checkCustomFields(
  definitions: readonly CustomFieldDefinition[],
  draft: MilestoneDraft,
  options: { creating: boolean; changed: boolean },
): { issues: FieldIssue[]; value?: Record<string, unknown> } {
  const values = draft.customFields ?? {};
  if (definitions.length === 0 && Object.keys(values).length === 0) return { issues: [] };
  const checked = validateCustomValues(values, definitions, { appliesTo: 'milestone', partial: !options.creating && !options.changed });
  if (!checked.ok) return { issues: checked.error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })), ...(draft.customFields ? { value: draft.customFields } : {}) };
  const kept = Object.fromEntries(Object.entries(checked.value).filter(([, v]) => v !== null));
  return { issues: [], ...(Object.keys(kept).length > 0 ? { value: kept } : {}) };
}
