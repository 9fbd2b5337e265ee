import { pendingAudit } from '../audit-log/index.ts';
import { domainEvent, failWith, invalid, issuesFromZod, revisionedWrite, succeed, type DomainContext, type DomainResult } from '../domain/index.ts';
import { getWorkflowForMilestone, UnknownWorkflowError } from '../definitions/index.ts';
import { getProject } from '../projects/index.ts';
import { checkMilestone, type Sibling } from './check-milestone.ts';
import { milestonesCollection, type MilestoneDoc } from './collections.ts';
import { diffUpdate } from './diff-update.ts';
import { derivedFields, draftOf, type MilestoneDraft } from './milestone-draft.ts';
import { milestonePatchSchema } from './milestone-schema.ts';
import { settleMilestoneAudit, withoutPendingAudit } from './milestone-audit.ts';
import { milestoneFacts } from './milestone-view.ts';
import { ruleActionEvents } from './rule-events.ts';
import { applySettableEffects, runMilestoneRules } from './run-milestone-rules.ts';

/** Options for {@link updateMilestone}. */
export interface UpdateMilestoneOptions {
  /** The version the caller read (`If-Match`); a stale one fails with `version_conflict`. */
  expectedVersion?: number | undefined;
  /** For bulk writes: the project's milestones, loaded once. */
  siblings?: readonly Sibling[];
}

/**
 * Changes a milestone's fields (not its status: that is what transitions are for). Every check of
 * `createMilestone` that the changed fields can affect runs again, custom fields included;
 * `milestone.updated` rules apply their effects. Emits `milestone.updated` with the field changes
 * (and `milestone.owners_changed` when owners change) in the same write, and records the diff.
 *
 * @example await updateMilestone(ctx, id, { percentComplete: 100 }, { expectedVersion: 3 })
 */
export async function updateMilestone(
  ctx: DomainContext,
  id: string,
  patch: unknown,
  options: UpdateMilestoneOptions = {},
): Promise<DomainResult<MilestoneDoc>> {
  const parsed = milestonePatchSchema.safeParse(patch);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const { version, status, ...fields } = parsed.data;
  const changed = new Set(Object.keys(fields).filter((k) => (fields as Record<string, unknown>)[k] !== undefined));
  const written = await revisionedWrite({
    collection: ctx.db.collection(milestonesCollection),
    id,
    what: 'milestone',
    expectedVersion: options.expectedVersion ?? version,
    plan: async (doc) => {
      if (status !== undefined && status !== doc.status) {
        const known = await statesOf(ctx, doc);
        if (!known.includes(status)) {
          return invalid([{ path: 'status', message: `'${status}' is not a status of this milestone's workflow (${known.join(', ')})`, code: 'unknown_status' }]);
        }
        return invalid([{ path: 'status', message: `change the status with POST /v1/milestones/${id}/transitions { "to": "${status}" }`, code: 'use_transition' }]);
      }
      const project = await getProject(ctx.db, doc.projectId);
      if (!project) return { ok: false, error: { code: 'not_found', message: 'No such milestone' } };
      const merged = mergePatch(draftOf(doc), fields);
      const checked = await checkMilestone(merged, { db: ctx.db, id, project, before: doc, changed, ...(options.siblings ? { siblings: options.siblings } : {}) });
      if (checked.issues.length > 0) return invalid(checked.issues, checked.cycle ? { cycle: checked.cycle } : undefined);
      let next: MilestoneDoc = rebuild(doc, checked.draft);
      const rules = await runMilestoneRules(ctx.db, 'milestone.updated', { ...milestoneFacts(next), changed: [...changed] });
      const applied = applySettableEffects(checked.draft, rules.effects);
      if (applied.draft !== checked.draft) next = rebuild(doc, applied.draft);
      const { changes, update } = diffUpdate(doc, next);
      if (changes.length === 0) return succeed({ update: null });
      const aggregate = { type: 'milestone' as const, id };
      const events = [domainEvent(ctx, 'milestone.updated', aggregate, { changes, fields: [...new Set(changes.map((c) => c.path.split('.')[0]))], version: doc.revision + 1 })];
      if (changes.some((c) => c.path === 'owners')) {
        events.push(domainEvent(ctx, 'milestone.owners_changed', aggregate, { from: doc.owners ?? [], to: next.owners }));
      }
      events.push(...ruleActionEvents(ctx, id, 'milestone.updated', rules.effects));
      // The audit entry goes in the same write as the change, so a crash cannot separate them.
      const audit = pendingAudit(ctx, { action: 'milestone.updated', aggregate, before: doc as unknown as Record<string, unknown>, after: next as unknown as Record<string, unknown> });
      return succeed({ update: { ...update, $push: { outbox: { $each: events }, auditOutbox: audit } } });
    },
  });
  if (!written.ok) return failWith(written.error);
  if (written.value.changed) await settleMilestoneAudit(ctx, [written.value.after]);
  return succeed(withoutPendingAudit(written.value.after));
}

/** A draft with a patch applied: `null` clears, custom fields merge key by key. */
export function mergePatch(draft: MilestoneDraft, fields: Record<string, unknown>): MilestoneDraft {
  const merged: Record<string, unknown> = { ...draft };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (value === null) delete merged[key];
    else if (key === 'customFields') merged.customFields = { ...(draft.customFields ?? {}), ...(value as Record<string, unknown>) };
    else if (key === 'visibility' && Array.isArray(value) && value.length === 0) delete merged.visibility;
    else merged[key] = value;
  }
  return merged as unknown as MilestoneDraft;
}

/** The stored document with a new draft and its derived fields. */
export function rebuild(doc: MilestoneDoc, draft: MilestoneDraft): MilestoneDoc {
  const next: Record<string, unknown> = { ...doc };
  for (const key of ['parentId', 'description', 'type', 'category', 'priority', 'risk', 'complexity', 'region', 'plannedStart', 'dueDate', 'gracePeriodDays', 'payment', 'verificationMethod', 'visibility', 'customFields', 'overdueAfter']) {
    delete next[key];
  }
  Object.assign(next, draft, derivedFields(draft));
  return next as unknown as MilestoneDoc;
}

async function statesOf(ctx: DomainContext, doc: MilestoneDoc): Promise<string[]> {
  try {
    const { workflow } = await getWorkflowForMilestone(ctx.db, { workflowId: doc.workflow.id, version: doc.workflow.version });
    return workflow.states.map((s) => s.id);
  } catch (err) {
    if (err instanceof UnknownWorkflowError) return [doc.status];
    throw err;
  }
}
