import { z } from 'zod';
import { domainEvent, failWith, invalid, issuesFromZod, revisionedWrite, succeed, type DomainContext, type DomainError, type DomainResult } from '../domain/index.ts';
import { checkDependencies, type PredecessorState } from '../schedule/index.ts';
import type { TenantStore } from '../store/index.ts';
import { leavesFrom, planTransition, type TransitionRefusal, type Workflow } from '../workflow/index.ts';
import { milestonesCollection, type MilestoneDoc } from './collections.ts';
import { diffUpdate } from './diff-update.ts';
import { attachEvidence, readEvidence, stageEvidenceWithAudit } from './evidence.ts';
import { isMilestoneVerified } from './is-milestone-verified.ts';
import { draftOf } from './milestone-draft.ts';
import { settleMilestoneAudit, withoutPendingAudit } from './milestone-audit.ts';
import { milestoneFacts } from './milestone-view.ts';
import { resolveMilestoneWorkflow } from './resolve-workflow.ts';
import { ruleActionEvents } from './rule-events.ts';
import { applySettableEffects, runMilestoneRules } from './run-milestone-rules.ts';
import { rebuild } from './update-milestone.ts';

/** A transition request: a target state (`to`) or a trigger (`event`). */
export const transitionInputSchema = z
  .object({
    to: z.string().min(1).max(64).optional(),
    event: z.string().min(1).max(64).optional(),
    reason: z.string().trim().max(2000).optional(),
    evidence: z.array(z.unknown()).max(20).optional(),
    version: z.number().int().positive().optional(),
  })
  .strict()
  .refine((r) => (r.to === undefined) !== (r.event === undefined), { message: 'give either to (a state) or event, not both', path: ['to'] });

export type TransitionInput = z.input<typeof transitionInputSchema>;

/** Options for {@link transitionMilestone}. */
export interface TransitionOptions {
  expectedVersion?: number | undefined;
  /**
   * Whether a transition that `requires.approval` is approved. @default true for the hub itself
   * (`system`) and for admin and manager keys, false otherwise
   */
  approved?: boolean | undefined;
}

/**
 * Moves a milestone along its own workflow version. In order: the workflow (known states, a
 * transition from here, system-only moves), dependencies (core/schedule), guards, verification
 * (an approved verification since the last rejected submission) and approval, then
 * `milestone.transitioning` rules, any of which may block. On success `milestone.transitioned`
 * rules apply their set and add-tag effects; `milestone.transitioned` and the transition's own
 * events go out in the same write, audited with the evidence it came with (stored just before,
 * counted once the write is stored).
 * A refusal is `{ code: 'refused', reason, status }` with the planner's details.
 *
 * @example await transitionMilestone(ctx, id, { to: 'submitted', evidence: [{ kind: 'photo', link: 'https://...' }] })
 */
export async function transitionMilestone(
  ctx: DomainContext,
  id: string,
  request: unknown,
  options: TransitionOptions = {},
): Promise<DomainResult<MilestoneDoc>> {
  const parsed = transitionInputSchema.safeParse(request);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const { to, event, reason, version } = parsed.data;
  // Hashed once here; staged as read, on every attempt of the write.
  const { issues: evidenceIssues, evidence } = readEvidence(parsed.data.evidence ?? []);
  if (evidenceIssues.length > 0) return invalid(evidenceIssues);
  const approved = options.approved ?? (ctx.actor.kind === 'system' || ctx.actor.role === 'admin' || ctx.actor.role === 'manager');
  // The evidence the landed attempt staged: its audit entry names them.
  let evidenceIds: string[] = [];

  const written = await revisionedWrite({
    collection: ctx.db.collection(milestonesCollection),
    id,
    what: 'milestone',
    expectedVersion: options.expectedVersion ?? version,
    plan: async (doc) => {
      const resolved = await resolveMilestoneWorkflow(ctx.db, doc);
      if (!resolved.ok) return resolved;
      const workflow = resolved.value.workflow;
      const facts = milestoneFacts(doc);
      const dependencies = await dependencyCheck(ctx.db, doc, workflow, to !== undefined ? { to } : { event: event! });
      const verified = await isMilestoneVerified(ctx.db, doc);
      const planned = await planTransition({
        workflow,
        milestone: { status: doc.status, attributes: facts },
        request: to !== undefined ? { to } : { event: event! },
        context: { ...(dependencies ? { dependencies } : {}), verified, approved, actor: ctx.actor.kind === 'system' ? 'system' : 'user' },
      });
      if (!planned.ok) return failWith(refusal(planned.error));
      const plan = planned.value;
      const gate = await runMilestoneRules(ctx.db, 'milestone.transitioning', { ...facts, from: plan.from, to: plan.to, event: plan.transition.event });
      if (gate.blocked) {
        const blocks = gate.effects?.blocks ?? [];
        return failWith({
          code: 'refused',
          reason: 'blocked_by_rule',
          status: 409,
          message: `blocked by a business rule: ${blocks.map((b) => b.reason).join('; ')}`,
          details: { blocks },
        });
      }
      const at = ctx.now();
      let next: MilestoneDoc = {
        ...doc,
        status: plan.to,
        statusCategory: plan.toCategory,
        statusChangedAt: at,
        ...(plan.toCategory === 'active' && !doc.startedAt ? { startedAt: at } : {}),
        ...(plan.toCategory === 'done' && !doc.completedAt ? { completedAt: at } : {}),
      };
      if (plan.toCategory !== 'done') delete next.completedAt;
      const awaitingVerification = workflow.transitions.some((t) => t.requires?.verification && leavesFrom(workflow, t, plan.from));
      if (awaitingVerification && !plan.transition.requires?.verification) next.verificationResetAt = at;
      const after = await runMilestoneRules(ctx.db, 'milestone.transitioned', { ...milestoneFacts(next), from: plan.from, to: plan.to, event: plan.transition.event });
      const base = draftOf(next);
      const applied = applySettableEffects(base, after.effects);
      if (applied.draft !== base) next = rebuild(next, applied.draft);
      const { update } = diffUpdate(doc, next);
      const aggregate = { type: 'milestone' as const, id };
      const data = {
        from: plan.from,
        to: plan.to,
        ...(plan.transition.event ? { event: plan.transition.event } : {}),
        ...(plan.transition.name ? { transition: plan.transition.name } : {}),
        ...(reason ? { reason } : {}),
        projectId: doc.projectId,
        version: doc.revision + 1,
      };
      const events = [
        ...plan.events.map((type) => domainEvent(ctx, type, aggregate, data)),
        ...ruleActionEvents(ctx, id, 'milestone.transitioning', gate.effects),
        ...ruleActionEvents(ctx, id, 'milestone.transitioned', after.effects),
      ];
      // Stored before the write that names them, and skipped by readers until it is stored.
      const staged = await stageEvidenceWithAudit(
        ctx,
        id,
        evidence,
        {
          action: 'milestone.transitioned',
          aggregate,
          before: doc as unknown as Record<string, unknown>,
          after: next as unknown as Record<string, unknown>,
          data: { from: plan.from, to: plan.to, ...(reason ? { reason } : {}) },
        },
        { target: { def: milestonesCollection, id }, transition: { from: plan.from, to: plan.to } },
      );
      evidenceIds = staged.ids;
      const audit = staged.audit;
      return succeed({ update: { ...update, $push: { outbox: { $each: events }, auditOutbox: audit } } });
    },
  });
  if (!written.ok) return failWith(written.error);
  await attachEvidence(ctx, evidenceIds);
  await settleMilestoneAudit(ctx, [written.value.after]);
  return succeed(withoutPendingAudit(written.value.after));
}

/** A planner refusal as a domain error, keeping its details (blockers, failed comparisons). */
export function refusal(error: TransitionRefusal): DomainError {
  const { code, status, message, ...details } = error;
  return { code: 'refused', reason: code, status, message, details };
}

async function dependencyCheck(
  db: TenantStore,
  doc: MilestoneDoc,
  workflow: Workflow,
  request: { to: string } | { event: string },
): Promise<{ allowed: boolean; blockers: { dependsOn: string; type: string; reason: string; message: string }[] } | undefined> {
  const dependencies = doc.dependencies ?? [];
  if (dependencies.length === 0) return undefined;
  const targetId = 'to' in request ? request.to : workflow.transitions.find((t) => t.event === request.event && leavesFrom(workflow, t, doc.status))?.to;
  const target = workflow.states.find((s) => s.id === targetId);
  const from = workflow.states.find((s) => s.id === doc.status);
  if (!target || !from) return undefined;
  const predecessors = await db
    .collection(milestonesCollection)
    .find({ _id: { $in: dependencies.map((d) => d.on) }, deletedAt: { $exists: false } }, { projection: { outbox: 0 } });
  const states: PredecessorState[] = predecessors.map((p) => ({
    id: p._id,
    category: p.statusCategory,
    status: p.status,
    percentComplete: p.percentComplete ?? 0,
    attributes: milestoneFacts(p),
  }));
  return checkDependencies({
    milestoneId: doc._id,
    targetCategory: target.category,
    fromCategory: from.category,
    dependencies: dependencies.map((d) => ({
      milestoneId: doc._id,
      dependsOn: d.on,
      type: d.type,
      ...(d.condition !== undefined ? { condition: d.condition } : {}),
      ...(d.lagDays !== undefined ? { lagDays: d.lagDays } : {}),
    })),
    predecessors: states,
  });
}
