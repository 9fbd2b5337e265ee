import { chainEntry, type FieldChange } from '../audit/index.ts';
import { orderedIds, plainJson, type Actor, type AggregateType } from '../domain/index.ts';
import { DuplicateKeyError, VersionConflictError, type NewDoc, type TenantStore } from '../store/index.ts';
import { readAuditHead, rollAuditHeadForward } from './audit-head.ts';
import { auditHeadsCollection, auditLogCollection, type AuditEntryDoc } from './collections.ts';

/** One change to record. */
export interface AuditInput {
  at: Date;
  actor: Actor;
  action: string;
  aggregate: { type: AggregateType; id: string };
  changes: FieldChange[];
  data?: Record<string, unknown>;
}

/**
 * Appends entries to the tenant's hash chain, in order, and returns them as stored.
 *
 * Inserting the entries is the commit point: a unique index on the sequence number lets only
 * one writer link after a given head, and the loser re-reads and links after the winner. The
 * head document then moves by compare-and-set; if this writer stops first, the next writer
 * moves it (see `rollAuditHeadForward`), so the chain never forks and no entry is lost.
 *
 * @example await appendAudit(db, [{ at, actor, action: 'milestone.updated', aggregate: { type: 'milestone', id }, changes }])
 */
export async function appendAudit(db: TenantStore, inputs: readonly AuditInput[]): Promise<AuditEntryDoc[]> {
  if (inputs.length === 0) return [];
  const log = db.collection(auditLogCollection);
  const heads = db.collection(auditHeadsCollection);
  const bodies = inputs.map(normalise);
  for (;;) {
    const head = await readAuditHead(db);
    let seq = head.seq;
    let prev = head.hash;
    const ids = orderedIds('aud', bodies.length);
    const docs = bodies.map((body, i) => {
      seq += 1;
      const id = ids[i]!;
      const linked = chainEntry({ id, tenantId: db.tenantId, seq, ...body }, prev);
      prev = linked.hash;
      const { id: _id, tenantId: _tenant, ...rest } = linked;
      return { _id: id, ...rest, aggregateId: body.aggregate.id } as NewDoc<AuditEntryDoc>;
    });
    try {
      const stored = await log.insertMany(docs);
      try {
        await heads.updateOne({ _id: head._id }, { $set: { seq, hash: prev } }, { expectedVersion: head.version });
      } catch (err) {
        if (!(err instanceof VersionConflictError)) throw err;
        // Someone moved the head over part of our entries already; finish the move.
        await rollAuditHeadForward(db);
      }
      return stored;
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
      await rollAuditHeadForward(db);
    }
  }
}

// Stored exactly as hashed: JSON values only, so every store reads back what was hashed.
function normalise(input: AuditInput): Omit<AuditInput, 'data'> & { data?: Record<string, unknown> } {
  const json = plainJson;
  return {
    at: new Date(input.at.getTime()),
    actor: json(input.actor),
    action: input.action,
    aggregate: { type: input.aggregate.type, id: input.aggregate.id },
    changes: json(input.changes),
    ...(input.data === undefined ? {} : { data: json(input.data) }),
  };
}
