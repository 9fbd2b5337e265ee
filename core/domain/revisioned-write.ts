import type { BaseDoc, Collection, Update } from '../store/index.ts';
import type { DomainResult } from './domain-error.ts';

/**
 * Aggregates carry their own `revision`, shown to clients as `version`. The store's `version`
 * also moves when the outbox relay pulls delivered events, which is not a change a client made
 * and must not make its next `If-Match` stale.
 */
export interface RevisionedDoc extends BaseDoc {
  revision: number;
  deletedAt?: Date;
}

/** How many times a write without `expectedVersion` re-reads and retries after a concurrent change. */
const RETRIES = 100;

/**
 * Reads a live aggregate, lets `plan` decide the update from what it read, and writes it only if
 * nobody changed the aggregate in between (compare-and-set on `revision`). With
 * `expectedVersion` the caller's view must be current: one attempt, then `version_conflict`.
 * Without it, a concurrent change makes it read again and re-plan, so checks always run on the
 * state that is written over. `plan` returning `update: null` writes nothing.
 */
export async function revisionedWrite<T extends RevisionedDoc, R = undefined>(input: {
  collection: Collection<T>;
  id: string;
  what: string;
  expectedVersion?: number | undefined;
  plan: (doc: T) => Promise<DomainResult<{ update: Update | null; result?: R }>>;
}): Promise<DomainResult<{ before: T; after: T; changed: boolean; result: R | undefined }>> {
  const { collection, id, what, expectedVersion } = input;
  for (let attempt = 0; ; attempt += 1) {
    const doc = await collection.findOne({ _id: id, deletedAt: { $exists: false } });
    if (!doc) return { ok: false, error: { code: 'not_found', message: `No such ${what}` } };
    if (expectedVersion !== undefined && doc.revision !== expectedVersion) return stale(what, doc.revision);
    const planned = await input.plan(doc);
    if (!planned.ok) return planned;
    const { update, result } = planned.value;
    if (update === null) return { ok: true, value: { before: doc, after: doc, changed: false, result } };
    const after = await collection.updateOne(
      { _id: id, revision: doc.revision, deletedAt: { $exists: false } },
      { ...update, $inc: { ...(update.$inc ?? {}), revision: 1 } },
    );
    if (after) return { ok: true, value: { before: doc, after, changed: true, result } };
    if (expectedVersion !== undefined || attempt >= RETRIES) {
      const now = await collection.findOne({ _id: id, deletedAt: { $exists: false } });
      if (!now) return { ok: false, error: { code: 'not_found', message: `No such ${what}` } };
      return stale(what, now.revision);
    }
    // Under heavy contention, step aside briefly so the writers ahead can finish.
    if (attempt >= 3) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, attempt * 2)));
  }
}

function stale(what: string, current: number): { ok: false; error: { code: 'version_conflict'; message: string; currentVersion: number } } {
  return {
    ok: false,
    error: { code: 'version_conflict', message: `This ${what} is now at version ${current}; reload it and retry`, currentVersion: current },
  };
}
