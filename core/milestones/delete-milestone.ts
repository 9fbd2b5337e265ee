import { pendingAudit } from '../audit-log/index.ts';
import { domainEvent, failWith, revisionedWrite, succeed, type DomainContext, type DomainResult } from '../domain/index.ts';
import { settleMilestoneAudit, withoutPendingAudit } from './milestone-audit.ts';
import { milestonesCollection, type MilestoneDoc } from './collections.ts';

/**
 * Deletes a milestone softly: it leaves lists, lookups and the project's payment split, and its
 * history stays. Refused (`conflict`) while anything still hangs on it, children or milestones
 * that depend on it, and once it is done (verified, invoiced, paid): cancel those instead.
 * Emits `milestone.deleted`.
 */
export async function deleteMilestone(ctx: DomainContext, id: string, options: { expectedVersion?: number | undefined } = {}): Promise<DomainResult<MilestoneDoc>> {
  const col = ctx.db.collection(milestonesCollection);
  const written = await revisionedWrite({
    collection: col,
    id,
    what: 'milestone',
    expectedVersion: options.expectedVersion,
    plan: async (doc) => {
      if (doc.statusCategory === 'done') {
        return failWith({ code: 'conflict', message: `the milestone is ${doc.status}, which is final; cancel it through a transition instead` });
      }
      const children = await col.find({ parentId: id, deletedAt: { $exists: false } }, { projection: { _id: 1 }, limit: 5 });
      if (children.length > 0) {
        return failWith({ code: 'conflict', message: `delete or move what sits under it first: ${children.map((c) => c._id).join(', ')}`, details: { children: children.map((c) => c._id) } });
      }
      const dependents = await col.find({ projectId: doc.projectId, 'dependencies.on': id, deletedAt: { $exists: false } }, { projection: { _id: 1 }, limit: 5 });
      if (dependents.length > 0) {
        return failWith({
          code: 'conflict',
          message: `other milestones depend on it: ${dependents.map((d) => d._id).join(', ')}; remove those dependencies first`,
          details: { dependents: dependents.map((d) => d._id) },
        });
      }
      const event = domainEvent(ctx, 'milestone.deleted', { type: 'milestone', id }, { projectId: doc.projectId, version: doc.revision + 1 });
      const deletedAt = ctx.now();
      const audit = pendingAudit(ctx, { action: 'milestone.deleted', aggregate: { type: 'milestone', id }, before: doc as unknown as Record<string, unknown>, after: { ...doc, deletedAt } });
      return succeed({ update: { $set: { deletedAt }, $push: { outbox: event, auditOutbox: audit } } });
    },
  });
  if (!written.ok) return failWith(written.error);
  await settleMilestoneAudit(ctx, [written.value.after]);
  return succeed(withoutPendingAudit(written.value.after));
}
