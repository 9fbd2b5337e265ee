import { linkPendingAudit, pendingAuditHook, withoutPendingAudit, type PendingAuditEntry } from '../audit-log/index.ts';
import type { AggregateType, DomainContext, DomainEvent } from '../domain/index.ts';
import type { CollectionDef, Filter, Store, TenantStore } from '../store/index.ts';
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
 *
 * Single-document calls of one tenant share their linking: while one links, the calls that
 * arrive wait and are then linked together, in arrival order, with one read of the chain's head,
 * one insert and one clearing write. Concurrent writers of a tenant therefore neither race for
 * the head (a lost race costs a re-read of the log) nor pay one chain write each.
 */
export async function settleMilestoneAudit(
  ctx: DomainContext,
  docs: readonly Holder[],
  options: { where?: Filter } = {},
): Promise<void> {
  if (!docs.some((d) => (d.auditOutbox?.length ?? 0) > 0)) return;
  if (options.where !== undefined || docs.length !== 1) return settleNow(ctx.db, docs, options);
  // The store hands out one bound collection per store and tenant: it names the lane.
  const col = ctx.db.collection(milestonesCollection);
  let lane = lanes.get(col);
  if (lane === undefined) {
    lane = { busy: false, waiting: [] };
    lanes.set(col, lane);
  }
  const joined = lane;
  return new Promise<void>((resolve) => {
    joined.waiting.push({ db: ctx.db, docs, resolve });
    if (!joined.busy) void drain(joined);
  });
}

type Holder = { _id: string; auditOutbox?: PendingAuditEntry[] | undefined };

interface Lane {
  busy: boolean;
  waiting: { db: TenantStore; docs: readonly Holder[]; resolve: () => void }[];
}

const lanes = new WeakMap<object, Lane>();

async function drain(lane: Lane): Promise<void> {
  lane.busy = true;
  try {
    while (lane.waiting.length > 0) {
      const calls = lane.waiting.splice(0);
      const docs = calls.flatMap((c) => c.docs);
      await settleNow(calls[0]!.db, docs, docs.length === 1 ? {} : { where: { _id: { $in: [...new Set(docs.map((d) => d._id))] } } });
      for (const call of calls) call.resolve();
    }
  } finally {
    lane.busy = false;
  }
}

// Links now; left pending on failure (see above).
const settleNow = (db: TenantStore, docs: readonly Holder[], options: { where?: Filter }): Promise<void> =>
  linkPendingAudit({ db }, milestonesCollection, docs as readonly Pick<MilestoneDoc, '_id' | 'auditOutbox'>[], options);

/** The milestone as callers see it: pending audit entries are the store's business. */
export { withoutPendingAudit };
