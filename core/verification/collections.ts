import type { PendingAuditEntry } from '../audit-log/index.ts';
import type { Actor, DomainEvent, RevisionedDoc } from '../domain/index.ts';
import type { CollectionDef } from '../store/index.ts';

/** A dispute over a milestone's delivery, with its reason and, once settled, its resolution. */
export interface DisputeDoc extends RevisionedDoc {
  milestoneId: string;
  projectId: string;
  reason: string;
  status: 'open' | 'resolved';
  raisedBy: Actor;
  /** `accept`: the submission stands; `rework`: the work goes back to be redone. */
  outcome?: 'accept' | 'rework';
  resolution?: string;
  resolvedBy?: Actor;
  resolvedAt?: Date;
  outbox: DomainEvent[];
  /** Audit entries of changes written but not yet linked into the audit chain. */
  auditOutbox?: PendingAuditEntry[];
}

export const disputesCollection: CollectionDef<DisputeDoc> = {
  name: 'disputes',
  scope: 'tenant',
  indexes: [{ fields: { milestoneId: 1 } }],
};
