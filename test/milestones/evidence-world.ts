import { pendingAuditHook, type PendingAuditEntry } from '../../core/audit-log/index.ts';
import type { DomainContext, DomainEvent } from '../../core/domain/index.ts';
import { createMilestone } from '../../core/milestones/index.ts';
import type { BaseDoc, CollectionDef } from '../../core/store/index.ts';
import { OUTBOX_COLLECTIONS } from '../../queues/index.ts';
import { milestoneWorld } from './milestone-fixtures.ts';

/** A document written with audit entries and events still waiting on it. */
export interface Holder extends BaseDoc {
  revision?: number;
  status?: string;
  outbox?: DomainEvent[];
  auditOutbox?: PendingAuditEntry[];
}

export const EVIDENCE = [
  { kind: 'photo', link: 'https://files.example.in/slab.jpg' },
  { kind: 'report', content: 'cube test passed at 28 days', description: 'cube test' },
];

/**
 * A tenant with a project, an admin acting through the API, and the outbox relay to catch up
 * with. The contexts' clock runs with the real one until `later` moves it on.
 */
export async function evidenceWorld() {
  const w = await milestoneWorld();
  const db = w.services.store.forTenant(w.tenantId);
  const actor = { kind: 'user' as const, id: 'key_test', channel: 'api' as const, role: 'admin' as const };
  let ahead = 0;
  const plain: DomainContext = { db, now: () => new Date(Date.now() + ahead), actor };
  /** Moves the contexts' clock `ms` on: requests from here on run that much later. */
  const later = (ms: number) => {
    ahead += ms;
  };
  const hook = pendingAuditHook(w.services.store, OUTBOX_COLLECTIONS);
  /** The outbox relay catching up (or the restarted process): every event still on the tenant's documents goes to the hook. */
  const relay = async () => {
    for (const def of OUTBOX_COLLECTIONS) {
      for (const doc of await db.collection(def as CollectionDef<Holder>).find({ 'outbox.0': { $exists: true } })) {
        for (const event of doc.outbox ?? []) await hook(event);
      }
    }
  };
  const project = (await w.project()).id;
  const milestone = async (title: string) => {
    const made = await createMilestone(plain, { projectId: project, kind: 'milestone', title });
    if (!made.ok) throw new Error(JSON.stringify(made.error));
    return made.value._id;
  };
  return { w, db, plain, relay, milestone, later };
}
