import { z } from 'zod';
import { linkPendingAudit, pendingAudit, withoutPendingAudit } from '../audit-log/index.ts';
import { domainEvent, failWith, invalid, issuesFromZod, revisionedWrite, succeed, type DomainContext, type DomainResult } from '../domain/index.ts';
import { attachEvidence, getMilestone, readEvidence, resolveMilestoneWorkflow, stageEvidenceWithAudit, transitionMilestone, type MilestoneDoc } from '../milestones/index.ts';
import { newId, type TenantStore } from '../store/index.ts';
import { leavesFrom } from '../workflow/index.ts';
import { disputesCollection, type DisputeDoc } from './collections.ts';

export const raiseDisputeSchema = z
  .object({ reason: z.string().trim().min(1).max(2000), evidence: z.array(z.unknown()).max(20).optional() })
  .strict();

export const resolveDisputeSchema = z
  .object({
    resolution: z.string().trim().min(1).max(2000),
    /** `accept`: the submission stands; `rework`: it goes back to be redone. */
    outcome: z.enum(['accept', 'rework']),
  })
  .strict();

/** The workflow events a dispute's life moves the milestone with, when its workflow has them. */
const EVENTS = { raise: 'dispute', accept: 'resolve', rework: 'reject' } as const;

/**
 * Raises a dispute over a milestone with a reason. When the milestone's workflow has a `dispute`
 * event from where it stands, it moves there first (a refusal other than "no such move" stops
 * the dispute). One dispute may be open per milestone. Emits `dispute.raised`.
 */
export async function raiseDispute(ctx: DomainContext, milestoneId: string, input: unknown, options: { role?: string | undefined } = {}): Promise<DomainResult<{ dispute: DisputeDoc; milestone: MilestoneDoc }>> {
  const parsed = raiseDisputeSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  // Read once: the content is hashed here, and the hash goes on to be stored.
  const { issues: evidenceIssues, evidence } = readEvidence(parsed.data.evidence ?? []);
  if (evidenceIssues.length > 0) return invalid(evidenceIssues);
  let milestone = await getMilestone(ctx.db, milestoneId, { role: options.role });
  if (!milestone) return failWith({ code: 'not_found', message: 'No such milestone' });
  const col = ctx.db.collection(disputesCollection);
  const open = await col.findOne({ milestoneId, status: 'open', deletedAt: { $exists: false } });
  if (open) return failWith({ code: 'conflict', message: `dispute ${open._id} is still open`, details: { open: open._id } });
  const moved = await moveIfWorkflowAllows(ctx, milestone, EVENTS.raise, parsed.data.reason);
  if (!moved.ok) return moved;
  milestone = moved.value;
  const id = newId('dsp');
  const doc = {
    _id: id,
    revision: 1,
    milestoneId,
    projectId: milestone.projectId,
    reason: parsed.data.reason,
    status: 'open' as const,
    raisedBy: ctx.actor,
  };
  const aggregate = { type: 'dispute' as const, id };
  // The evidence is stored first, waiting for the dispute whose entry names it.
  const staged = await stageEvidenceWithAudit(
    ctx,
    milestoneId,
    evidence,
    { action: 'dispute.raised', aggregate, before: null, after: doc, data: { milestoneId } },
    { target: { def: disputesCollection, id } },
  );
  const { ids: evidenceIds, audit } = staged;
  const stored = await col.insert({
    ...doc,
    outbox: [domainEvent(ctx, 'dispute.raised', aggregate, { milestoneId, projectId: milestone.projectId, reason: parsed.data.reason })],
    auditOutbox: [audit],
  });
  await attachEvidence(ctx, evidenceIds);
  await linkPendingAudit(ctx, disputesCollection, [stored]);
  return succeed({ dispute: withoutPendingAudit(stored), milestone });
}

/**
 * Settles an open dispute with a resolution: `accept` keeps the submission (`resolve` event),
 * `rework` sends the work back (`reject` event), each when the workflow offers it from where the
 * milestone stands. Emits `dispute.resolved`.
 */
export async function resolveDispute(
  ctx: DomainContext,
  milestoneId: string,
  disputeId: string,
  input: unknown,
  options: { role?: string | undefined } = {},
): Promise<DomainResult<{ dispute: DisputeDoc; milestone: MilestoneDoc }>> {
  const parsed = resolveDisputeSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const milestone = await getMilestone(ctx.db, milestoneId, { role: options.role });
  if (!milestone) return failWith({ code: 'not_found', message: 'No such milestone' });
  const col = ctx.db.collection(disputesCollection);
  const dispute = await col.findOne({ _id: disputeId, milestoneId, deletedAt: { $exists: false } });
  if (!dispute) return failWith({ code: 'not_found', message: 'No such dispute' });
  if (dispute.status !== 'open') return failWith({ code: 'conflict', message: 'the dispute is already resolved' });
  const moved = await moveIfWorkflowAllows(ctx, milestone, EVENTS[parsed.data.outcome], parsed.data.resolution);
  if (!moved.ok) return moved;
  const written = await revisionedWrite({
    collection: col,
    id: disputeId,
    what: 'dispute',
    plan: async (doc) => {
      if (doc.status !== 'open') return failWith({ code: 'conflict', message: 'the dispute is already resolved' });
      const aggregate = { type: 'dispute' as const, id: disputeId };
      const $set = { status: 'resolved', outcome: parsed.data.outcome, resolution: parsed.data.resolution, resolvedBy: ctx.actor, resolvedAt: ctx.now() };
      const audit = pendingAudit(ctx, { action: 'dispute.resolved', aggregate, before: doc as unknown as Record<string, unknown>, after: { ...doc, ...$set }, data: { milestoneId } });
      return succeed({
        update: {
          $set,
          $push: { outbox: domainEvent(ctx, 'dispute.resolved', aggregate, { milestoneId, outcome: parsed.data.outcome, resolution: parsed.data.resolution }), auditOutbox: audit },
        },
      });
    },
  });
  if (!written.ok) return failWith(written.error);
  await linkPendingAudit(ctx, disputesCollection, [written.value.after]);
  return succeed({ dispute: withoutPendingAudit(written.value.after), milestone: moved.value });
}

/** A milestone's disputes, newest first. */
export async function listDisputes(db: TenantStore, milestoneId: string): Promise<DisputeDoc[]> {
  return db.collection(disputesCollection).find({ milestoneId, deletedAt: { $exists: false } }, { sort: { _id: -1 }, limit: 200, projection: { auditOutbox: 0 } });
}

async function moveIfWorkflowAllows(ctx: DomainContext, milestone: MilestoneDoc, event: string, reason: string): Promise<DomainResult<MilestoneDoc>> {
  const resolved = await resolveMilestoneWorkflow(ctx.db, milestone);
  if (!resolved.ok) return resolved;
  const workflow = resolved.value.workflow;
  if (!workflow.transitions.some((t) => t.event === event && leavesFrom(workflow, t, milestone.status))) return succeed(milestone);
  return transitionMilestone(ctx, milestone._id, { event, reason });
}
