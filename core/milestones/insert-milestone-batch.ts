import { pendingAudit, type PendingAuditEntry, type RecordedChange } from '../audit-log/index.ts';
import type { ResolvedWorkflow } from '../definitions/index.ts';
import { domainEvent, orderedIds, type DomainContext, type FieldIssue } from '../domain/index.ts';
import type { ProjectDoc } from '../projects/index.ts';
import { detectCycle, formatCycle, type DependencyEdge } from '../schedule/index.ts';
import { checkMilestone, type Sibling } from './check-milestone.ts';
import { milestonesCollection, type MilestoneDoc } from './collections.ts';
import { newMilestoneDoc } from './create-milestone.ts';
import { creationRecord, type MilestoneDraft } from './milestone-draft.ts';
import { settleMilestoneAudit, withoutPendingAudit } from './milestone-audit.ts';
import { milestoneSummary } from './milestone-view.ts';
import { splitIssues } from './payment-commitments.ts';
import type { CustomFieldDefinition } from '../custom-fields/index.ts';

/** One milestone of a batch, its id chosen up front so the others can name it. */
export interface BatchItem {
  id: string;
  draft: MilestoneDraft;
  /** @default the workflow's initial state */
  status?: string | undefined;
  /** The workflow version it runs on. @default the batch's */
  workflow?: ResolvedWorkflow | undefined;
  source?: MilestoneDoc['source'];
}

/**
 * Checks a batch of new milestones of one project as `createMilestone` checks one, but the
 * payment split and dependency cycles once over the whole batch and what the project already
 * has, so the cost stays linear. Items may name each other as parents and predecessors.
 * Returns each item's issues (by index) and batch-wide issues.
 */
export async function checkMilestoneBatch(
  ctx: DomainContext,
  project: ProjectDoc,
  items: readonly BatchItem[],
  options: { siblings: readonly Sibling[]; definitions: readonly CustomFieldDefinition[]; workflow: ResolvedWorkflow },
): Promise<{ items: { draft: MilestoneDraft; issues: FieldIssue[] }[]; batch: FieldIssue[]; cycle?: string[] }> {
  const index = new Map<string, Sibling>(options.siblings.map((s) => [s._id, s]));
  const pending = new Map<string, Pick<MilestoneDoc, 'kind' | 'projectId'>>();
  for (const item of items) {
    index.set(item.id, { _id: item.id, kind: item.draft.kind, dependencies: item.draft.dependencies ?? [], projectId: project._id, statusCategory: 'not_started' });
    pending.set(item.id, { kind: item.draft.kind, projectId: project._id });
  }
  const checked: { draft: MilestoneDraft; issues: FieldIssue[] }[] = [];
  for (const item of items) {
    const result = await checkMilestone(item.draft, {
      db: ctx.db,
      id: item.id,
      project,
      changed: new Set(),
      siblingIndex: index,
      definitions: options.definitions,
      bulk: true,
      pending,
    });
    const issues = [...result.issues];
    const workflow = item.workflow ?? options.workflow;
    if (item.status !== undefined && !workflow.workflow.states.some((s) => s.id === item.status)) {
      issues.push({ path: 'status', message: `'${item.status}' is not a status of workflow '${workflow.id}' v${workflow.version}`, code: 'unknown_status' });
    }
    checked.push({ draft: result.draft, issues });
  }
  const batch: FieldIssue[] = [];
  const payments = [
    ...options.siblings.filter((s) => s.statusCategory !== 'cancelled').map((s) => s.payment),
    ...checked.map((c) => c.draft.payment),
  ];
  batch.push(...splitIssues(payments, project.contractValue, 'payment'));
  const edges: DependencyEdge[] = [];
  for (const s of options.siblings) for (const d of s.dependencies ?? []) edges.push({ milestoneId: s._id, dependsOn: d.on });
  const adding: DependencyEdge[] = [];
  items.forEach((item, i) => {
    for (const d of checked[i]!.draft.dependencies ?? []) adding.push({ milestoneId: item.id, dependsOn: d.on });
  });
  const cycle = detectCycle(edges, adding);
  if (cycle) batch.push({ path: 'dependencies', message: `dependencies would form a cycle: ${formatCycle(cycle)}`, code: 'dependency_cycle' });
  return { items: checked, batch, ...(cycle ? { cycle } : {}) };
}

/**
 * Inserts checked milestones in one write, each with its `milestone.created`
 * event, and audits each creation. `data` (what made them: a template, an import, a copy) goes
 * with every event and audit entry.
 */
export async function insertMilestoneBatch(
  ctx: DomainContext,
  items: readonly BatchItem[],
  options: {
    workflow: ResolvedWorkflow;
    data: Record<string, unknown>;
    /** Changes the batch makes as a whole (a template applied to its project), audited after its milestones in the same write. */
    also?: readonly RecordedChange[];
  },
): Promise<MilestoneDoc[]> {
  if (items.length === 0) return [];
  const at = ctx.now();
  const eventIds = orderedIds('evt', items.length);
  const also = options.also ?? [];
  const auditIds = orderedIds('aud', items.length + also.length);
  // One batch id for the audit entries, so one write clears them once linked.
  const batch = auditIds[0]!;
  const audits: PendingAuditEntry[] = [];
  const docs = items.map((item, i) => {
    const workflow = item.workflow ?? options.workflow;
    const doc = newMilestoneDoc(item.id, item.draft, { status: item.status ?? workflow.workflow.initial, workflow, at, ...(item.source ? { source: item.source } : {}) });
    const event = domainEvent(ctx, 'milestone.created', { type: 'milestone', id: item.id }, { milestone: milestoneSummary(doc), ...options.data }, { id: eventIds[i]!, jsonSafe: true });
    audits.push(pendingAudit(ctx, { action: 'milestone.created', aggregate: { type: 'milestone', id: item.id }, before: null, after: creationRecord(doc), data: options.data }, { id: auditIds[i]!, batch, at, diffWhenLinked: true }));
    return { ...doc, outbox: [event], auditOutbox: i === 0 ? audits /* filled as the map goes */ : [] };
  });
  also.forEach((change, j) => audits.push(pendingAudit(ctx, change, { id: auditIds[items.length + j]!, batch, at })));
  // The batch's entries all wait on its first document, written in the same insert as every
  // milestone they record: linking them (here, or by `milestoneAuditHook` when that document's
  // event comes through the outbox after a stop) then reads and clears one document, not one
  // per milestone. Each milestone still gets its own entry in the chain, in batch order, and
  // each entry waits as its creation record, diffed when linked.
  const stored = await ctx.db.collection(milestonesCollection).insertMany(docs);
  await settleMilestoneAudit(ctx, [stored[0]!], { where: { _id: stored[0]!._id } });
  return stored.map(withoutPendingAudit);
}
