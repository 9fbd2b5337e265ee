import type { FieldChange } from '../audit/index.ts';
import type { Actor, AggregateType } from '../domain/index.ts';
import type { BaseDoc, CollectionDef } from '../store/index.ts';

/**
 * One audit entry. Append-only: written once, never updated. `hash` covers every field named in
 * {@link HASHED_FIELDS}, `prevHash` included, so an edit, removal or reordering shows.
 */
export interface AuditEntryDoc extends BaseDoc {
  /** Position in the tenant's chain, from 1, without gaps. */
  seq: number;
  at: Date;
  actor: Actor;
  /** What happened: `milestone.updated`, `project.created`, `verification.decided` ... */
  action: string;
  aggregate: { type: AggregateType; id: string };
  /** A copy of `aggregate.id`, for the history lookup index. */
  aggregateId: string;
  changes: FieldChange[];
  data?: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The tenant's chain head: the last entry's sequence number and hash, moved by compare-and-set. */
export interface AuditHeadDoc extends BaseDoc {
  seq: number;
  hash: string;
}

/** The fields an entry's hash covers, besides `id` (the document id) and `tenantId`. */
export const HASHED_FIELDS = ['seq', 'at', 'actor', 'action', 'aggregate', 'changes', 'data', 'prevHash'] as const;

export const auditLogCollection: CollectionDef<AuditEntryDoc> = {
  name: 'audit_log',
  scope: 'tenant',
  // The unique sequence is what keeps two writers from both linking after the same entry.
  indexes: [{ fields: { tenantId: 1, seq: 1 }, unique: true }, { fields: { aggregateId: 1 } }],
};

export const auditHeadsCollection: CollectionDef<AuditHeadDoc> = {
  name: 'audit_heads',
  scope: 'tenant',
};
