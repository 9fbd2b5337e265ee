import { linkPendingAudit, pendingAudit } from '../audit-log/index.ts';
import { domainEvent, failWith, invalid, orderedIds, succeed, type DomainContext, type DomainResult } from '../domain/index.ts';
import { checkEvidence, milestonesCollection, recordEvidence, type EvidenceDoc } from '../milestones/index.ts';

/**
 * Adds evidence to a milestone (for one of its verifications, with `verificationId`) and audits
 * it: the `milestone.evidence_added` entry, naming the records by the ids they get, is written
 * on the milestone with its event before the records are stored, so a stop in between cannot
 * leave evidence nobody recorded adding. The milestone's fields and version do not change.
 *
 * @example await addMilestoneEvidence(ctx, milestoneId, [{ kind: 'photo', link: 'https://...' }], { verificationId })
 */
export async function addMilestoneEvidence(
  ctx: DomainContext,
  milestoneId: string,
  inputs: readonly unknown[],
  options: { verificationId?: string; path?: string } = {},
): Promise<DomainResult<EvidenceDoc[]>> {
  const issues = checkEvidence(inputs, options.path ?? 'evidence');
  if (issues.length > 0) return invalid(issues);
  if (inputs.length === 0) return succeed([]);
  const ids = orderedIds('evd', inputs.length);
  const aggregate = { type: 'milestone' as const, id: milestoneId };
  const data = { evidence: ids, ...(options.verificationId ? { verificationId: options.verificationId } : {}) };
  const audit = pendingAudit(ctx, { action: 'milestone.evidence_added', aggregate, before: {}, after: {}, data });
  const held = await ctx.db
    .collection(milestonesCollection)
    .updateOne({ _id: milestoneId, deletedAt: { $exists: false } }, { $push: { outbox: domainEvent(ctx, 'milestone.evidence_added', aggregate, data), auditOutbox: audit } });
  if (!held) return failWith({ code: 'not_found', message: 'No such milestone' });
  const stored = await recordEvidence(ctx, milestoneId, inputs, { ...options, ids });
  await linkPendingAudit(ctx, milestonesCollection, [held]);
  return stored;
}
