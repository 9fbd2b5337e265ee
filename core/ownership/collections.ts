import type { PendingAuditEntry } from '../audit-log/index.ts';
import type { Actor, DomainEvent, RevisionedDoc } from '../domain/index.ts';
import type { CollectionDef } from '../store/index.ts';

/**
 * A person hands their ownership to another for a period: of one milestone (`milestoneId`), or
 * of everything they own. During [start, end) the delegate is the effective owner.
 */
export interface DelegationDoc extends RevisionedDoc {
  fromPersonId: string;
  toPersonId: string;
  milestoneId?: string;
  start: Date;
  end: Date;
  reason?: string;
  createdBy: Actor;
  revokedAt?: Date;
  outbox: DomainEvent[];
  /** Audit entries of changes written but not yet linked into the audit chain. */
  auditOutbox?: PendingAuditEntry[];
}

export const delegationsCollection: CollectionDef<DelegationDoc> = {
  name: 'delegations',
  scope: 'tenant',
  indexes: [{ fields: { fromPersonId: 1 } }, { fields: { toPersonId: 1 } }],
};
