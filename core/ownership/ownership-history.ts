import { listAuditEntries } from '../audit-log/index.ts';
import type { Actor } from '../domain/index.ts';
import type { MilestoneDoc, Owner } from '../milestones/index.ts';
import type { TenantStore } from '../store/index.ts';
import { delegationsFor } from './delegations.ts';

/** One event in a milestone's ownership history. */
export type OwnershipEvent =
  | { at: Date; kind: 'owners_changed'; actor: Actor; from: Owner[]; to: Owner[] }
  | { at: Date; kind: 'delegated'; actor: Actor; delegationId: string; from: string; to: string; start: Date; end: Date; scope: 'milestone' | 'person'; revokedAt?: Date };

/**
 * Who owned a milestone and when: every change of its owners (from the audit log, so it cannot
 * be rewritten quietly) and every delegation that covered it, oldest first.
 */
export async function ownershipHistory(db: TenantStore, milestone: Pick<MilestoneDoc, '_id' | 'owners'>): Promise<OwnershipEvent[]> {
  const events: OwnershipEvent[] = [];
  let cursor: string | null = null;
  do {
    const page = await listAuditEntries(db, { aggregateId: milestone._id, limit: 1000, cursor });
    for (const entry of page.items) {
      const change = entry.changes.find((c) => c.path === 'owners');
      if (change || entry.action === 'milestone.created') {
        const to = (change?.to ?? []) as Owner[];
        if (entry.action === 'milestone.created' && to.length === 0) continue;
        events.push({ at: entry.at, kind: 'owners_changed', actor: entry.actor, from: (change?.from ?? []) as Owner[], to });
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  const people = [...new Set((milestone.owners ?? []).filter((o) => o.kind === 'individual').map((o) => o.ref))];
  for (const d of await delegationsFor(db, milestone._id, people)) {
    events.push({
      at: d.createdAt,
      kind: 'delegated',
      actor: d.createdBy,
      delegationId: d._id,
      from: d.fromPersonId,
      to: d.toPersonId,
      start: d.start,
      end: d.end,
      scope: d.milestoneId ? 'milestone' : 'person',
      ...(d.revokedAt ? { revokedAt: d.revokedAt } : {}),
    });
  }
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}
