import { pendingAudit } from '../audit-log/index.ts';
import { getWorkflowForMilestone } from '../definitions/index.ts';
import { domainEvent, invalid, issuesFromZod, succeed, type DomainContext, type DomainResult } from '../domain/index.ts';
import { getProject } from '../projects/index.ts';
import { newId } from '../store/index.ts';
import type { Workflow } from '../workflow/index.ts';
import { checkMilestone } from './check-milestone.ts';
import { milestonesCollection, type MilestoneDoc } from './collections.ts';
import { creationRecord, derivedFields, type MilestoneDraft } from './milestone-draft.ts';
import { milestoneInputSchema, type ParsedMilestoneInput } from './milestone-schema.ts';
import { settleMilestoneAudit, withoutPendingAudit } from './milestone-audit.ts';
import { milestoneFacts, milestoneSummary } from './milestone-view.ts';
import { ruleActionEvents } from './rule-events.ts';
import { applySettableEffects, runMilestoneRules } from './run-milestone-rules.ts';

type NewMilestone = Omit<MilestoneDoc, 'version' | 'createdAt' | 'updatedAt' | 'tenantId' | 'outbox'>;

/** The draft fields of a parsed input, without undefined members. */
export function draftFromInput(input: Omit<ParsedMilestoneInput, 'status'>): MilestoneDraft {
  const draft: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) if (value !== undefined) draft[key] = value;
  draft.tags ??= [];
  draft.owners ??= [];
  draft.dependencies ??= [];
  draft.percentComplete ??= 0;
  if (Array.isArray(draft.visibility) && draft.visibility.length === 0) delete draft.visibility;
  return draft as unknown as MilestoneDraft;
}

/** A new milestone document in `status` of `workflow`, with its derived fields. */
export function newMilestoneDoc(
  id: string,
  draft: MilestoneDraft,
  options: { status: string; workflow: { id: string; version: number; workflow: Workflow }; at: Date; source?: MilestoneDoc['source'] },
): NewMilestone {
  const state = options.workflow.workflow.states.find((s) => s.id === options.status);
  const category = state?.category ?? 'not_started';
  return {
    _id: id,
    revision: 1,
    ...draft,
    ...derivedFields(draft),
    status: options.status,
    statusCategory: category,
    statusChangedAt: options.at,
    ...(category === 'active' || category === 'done' ? { startedAt: options.at } : {}),
    ...(category === 'done' ? { completedAt: options.at } : {}),
    workflow: { id: options.workflow.id, version: options.workflow.version },
    ...(options.source ? { source: options.source } : {}),
  };
}

/**
 * Creates a phase, milestone or sub-milestone after every check (see `checkMilestone`), on the
 * tenant's current default workflow, which it keeps until migrated. `milestone.created` rules
 * apply their set and add-tag effects. Emits `milestone.created` in the same write and records
 * the creation in the audit log.
 *
 * @example await createMilestone(ctx, { projectId, kind: 'milestone', title: 'Slab 3', dueDate: '2025-09-30', payment: { percent: 10 } })
 */
export async function createMilestone(ctx: DomainContext, input: unknown): Promise<DomainResult<MilestoneDoc>> {
  const parsed = milestoneInputSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const { status: requestedStatus, ...fields } = parsed.data;
  const project = await getProject(ctx.db, fields.projectId);
  if (!project) return invalid([{ path: 'projectId', message: `no project '${fields.projectId}'`, code: 'unknown_project' }]);
  if (project.status === 'archived') return invalid([{ path: 'projectId', message: 'the project is archived; restore it first', code: 'project_archived' }]);
  const workflow = await getWorkflowForMilestone(ctx.db);
  const status = requestedStatus ?? workflow.workflow.initial;
  if (!workflow.workflow.states.some((s) => s.id === status)) {
    const known = workflow.workflow.states.map((s) => s.id).join(', ');
    return invalid([{ path: 'status', message: `'${status}' is not a status of workflow '${workflow.id}' (${known})`, code: 'unknown_status' }]);
  }
  const id = newId('ms');
  const checked = await checkMilestone(draftFromInput(fields), { db: ctx.db, id, project, changed: new Set() });
  if (checked.issues.length > 0) return invalid(checked.issues, checked.cycle ? { cycle: checked.cycle } : undefined);
  const at = ctx.now();
  let doc = newMilestoneDoc(id, checked.draft, { status, workflow, at });
  const rules = await runMilestoneRules(ctx.db, 'milestone.created', milestoneFacts(doc as MilestoneDoc));
  const applied = applySettableEffects(checked.draft, rules.effects);
  if (applied.draft !== checked.draft) doc = newMilestoneDoc(id, applied.draft, { status, workflow, at });
  const outbox = [
    domainEvent(ctx, 'milestone.created', { type: 'milestone', id }, { milestone: milestoneSummary(doc), ...(rules.matched.length ? { rules: rules.matched } : {}) }),
    ...ruleActionEvents(ctx, id, 'milestone.created', rules.effects),
  ];
  // The creation's audit entry is inserted with the milestone, so a crash cannot separate them.
  const audit = pendingAudit(ctx, { action: 'milestone.created', aggregate: { type: 'milestone', id }, before: null, after: creationRecord(doc) }, { at });
  const stored = await ctx.db.collection(milestonesCollection).insert({ ...doc, outbox, auditOutbox: [audit] });
  await settleMilestoneAudit(ctx, [stored]);
  return succeed(withoutPendingAudit(stored));
}
