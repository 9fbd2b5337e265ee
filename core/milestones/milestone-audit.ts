import { pendingAuditHook, settlePendingAudit, type PendingAuditEntry } from '../audit-log/index.ts';
import type { AggregateType, DomainContext, DomainEvent } from '../domain/index.ts';
import type { CollectionDef, Filter, Store } from '../store/index.ts';
import { milestonesCollection, type MilestoneDoc } from './collections.ts';

/** Where each audited aggregate of this module keeps its pending audit entries, for `pendingAuditHook`. */
export const MILESTONE_AUDIT_COLLECTIONS: Partial<Record<AggregateType, CollectionDef>> = { milestone: milestonesCollection };

/**
 * The outbox follower that links milestone audit entries a stopped process left pending.
 *
 * @example domainEvents: [sync.domainEventHook, milestoneAuditHook(store)]
 */
export function milestoneAuditHook(store: Store): (event: DomainEvent) => Promise<void> {
  return pendingAuditHook(store, MILESTONE_AUDIT_COLLECTIONS);
}

/**
 * Links the audit entries a milestone write left pending on its documents. The change is stored
 * already, so a failure here does not fail the request: the entries stay on the documents and
 * `pendingAuditHook` links them when the change's domain event comes through the outbox.
 */
export async function settleMilestoneAudit(
  ctx: DomainContext,
  docs: readonly { _id: string; auditOutbox?: PendingAuditEntry[] | undefined }[],
  options: { where?: Filter } = {},
): Promise<void> {
  try {
    await settlePendingAudit(ctx.db, milestonesCollection, docs as readonly Pick<MilestoneDoc, '_id' | 'auditOutbox'>[], options);
  } catch {
    // Left pending on purpose; see above.
  }
}

/** The milestone as callers see it: pending audit entries are the store's business. */
export function withoutPendingAudit(doc: MilestoneDoc): MilestoneDoc {
  if (doc.auditOutbox === undefined) return doc;
  const { auditOutbox: _pending, ...rest } = doc;
  return rest;
}
