import { linkPendingAudit } from '../audit-log/index.ts';
import { domainEvent, failWith, invalid, succeed, type DomainContext, type DomainResult } from '../domain/index.ts';
import { attachEvidence, milestonesCollection, readEvidence, stageEvidenceWithAudit, type EvidenceDoc } from '../milestones/index.ts';

/**
 * Adds evidence to a milestone (for one of its verifications, with `verificationId`) and audits
 * it. The records are stored first, waiting; then the `milestone.evidence_added` entry naming
 * them is written on the milestone with its event; only then do they count as the milestone's
 * evidence. A stop before that write leaves nothing anyone sees, a stop after it the whole
 * addition. Evidence the same actor already added there is returned, not stored or audited
 * again, once the write that added it is stored, also while its audit entry still waits on the
 * milestone to be linked (a retry after a timeout that came after that write). Two identical
 * requests at the same time are not made one: each stores and audits its own records, since
 * waiting records are their request's until their lease runs out; only a repeat after that
 * (the first request gone without its milestone write) takes them over. The milestone's fields
 * and version do not change.
 *
 * @example await addMilestoneEvidence(ctx, milestoneId, [{ kind: 'photo', link: 'https://...' }], { verificationId })
 */
export async function addMilestoneEvidence(
  ctx: DomainContext,
  milestoneId: string,
  inputs: readonly unknown[],
  options: { verificationId?: string; path?: string } = {},
): Promise<DomainResult<EvidenceDoc[]>> {
  // Read once: the content is hashed here, and the hash goes on to be stored.
  const read = readEvidence(inputs, options.path ?? 'evidence');
  if (read.issues.length > 0) return invalid(read.issues);
  if (inputs.length === 0) return succeed([]);
  const milestones = ctx.db.collection(milestonesCollection);
  const live = { _id: milestoneId, deletedAt: { $exists: false } };
  if (!(await milestones.findOne(live, { projection: { _id: 1 } }))) return failWith({ code: 'not_found', message: 'No such milestone' });
  const aggregate = { type: 'milestone' as const, id: milestoneId };
  const change = { action: 'milestone.evidence_added', aggregate, before: {}, after: {}, data: options.verificationId ? { verificationId: options.verificationId } : {} };
  const staged = await stageEvidenceWithAudit(ctx, milestoneId, read.evidence, change, { ...options, target: { def: milestonesCollection, id: milestoneId }, replay: true });
  const { records, ids, audit } = staged;
  // All of it was attached already: nothing new to write or audit.
  if (ids.length === 0) return succeed(records);
  const data = audit.data ?? {};
  const held = await milestones.updateOne(live, { $push: { outbox: domainEvent(ctx, 'milestone.evidence_added', aggregate, data), auditOutbox: audit } });
  // Deleted meanwhile: the records stay waiting for a write that never comes, unseen.
  if (!held) return failWith({ code: 'not_found', message: 'No such milestone' });
  await attachEvidence(ctx, ids);
  await linkPendingAudit(ctx, milestonesCollection, [held]);
  return succeed(records);
}
