import { computeEntryHash, type FieldChange } from '../audit/index.ts';
import { orderedIds, plainJson, type Actor, type AggregateType } from '../domain/index.ts';
import { DuplicateKeyError, VersionConflictError, type NewDoc, type TenantStore } from '../store/index.ts';
import { readAuditHead, rollAuditHeadForward } from './audit-head.ts';
import { auditHeadsCollection, auditLogCollection, type AuditEntryDoc } from './collections.ts';

/** One change to record. */
export interface AuditInput {
  /** The entry's id, chosen ahead when the entry waited on a document: one id links once. */
  id?: string;
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
 * Inputs with an `id` already in the log are not linked again; their stored entries are returned
 * (the unique document id refuses a second link, and the retry finds the first).
 *
 * @example await appendAudit(db, [{ at, actor, action: 'milestone.updated', aggregate: { type: 'milestone', id }, changes }])
 */
export async function appendAudit(db: TenantStore, inputs: readonly AuditInput[]): Promise<AuditEntryDoc[]> {
  if (inputs.length === 0) return [];
  const log = db.collection(auditLogCollection);
  const heads = db.collection(auditHeadsCollection);
  // Entries written together share their actor and data objects: each is copied once.
  const shared = new Map<object, unknown>();
  const all = inputs.map((input) => normalise(input, shared));
  const given = inputs.flatMap((input) => (input.id === undefined ? [] : [input.id]));
  const fresh = given.length === inputs.length ? [] : orderedIds('aud', inputs.length);
  const ids = inputs.map((input, i) => input.id ?? fresh[i]!);
  // Ids chosen ahead may be linked already, by an earlier attempt or a concurrent settler. The
  // first attempt does not look: linking one again fails on its unique id, and the retry looks.
  let lookUp = false;
  for (;;) {
    const linked = !lookUp || given.length === 0 ? [] : await log.find({ _id: given.length === 1 ? given[0] : { $in: given } });
    const done = new Set(linked.map((e) => e._id));
    const bodies = all.filter((_, i) => !done.has(ids[i]!));
    const bodyIds = ids.filter((id) => !done.has(id));
    if (bodies.length === 0) return ids.map((id) => linked.find((e) => e._id === id)!);
    const head = await readAuditHead(db);
    let seq = head.seq;
    let prev = head.hash;
    const docs = bodies.map((body, i) => {
      seq += 1;
      const id = bodyIds[i]!;
      // What `chainEntry` hashes, built once: bulk appends link thousands of entries.
      const hash = computeEntryHash({ id, tenantId: db.tenantId, seq, ...body, prevHash: prev });
      const doc = { _id: id, seq, ...body, prevHash: prev, hash, aggregateId: body.aggregate.id } as NewDoc<AuditEntryDoc>;
      prev = hash;
      return doc;
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
      if (linked.length === 0) return stored;
      const byId = new Map([...linked, ...stored].map((e) => [e._id, e]));
      return ids.map((id) => byId.get(id)!);
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
      lookUp = true;
      await rollAuditHeadForward(db);
    }
  }
}

// Stored exactly as hashed: JSON values only, so every store reads back what was hashed.
function normalise(input: AuditInput, shared: Map<object, unknown>): Omit<AuditInput, 'data' | 'id'> & { data?: Record<string, unknown> } {
  const json = <T extends object>(value: T): T => {
    if (!shared.has(value)) shared.set(value, plainJson(value));
    return shared.get(value) as T;
  };
  return {
    at: new Date(input.at.getTime()),
    actor: json(input.actor),
    action: input.action,
    aggregate: { type: input.aggregate.type, id: input.aggregate.id },
    changes: plainJson(input.changes),
    ...(input.data === undefined ? {} : { data: json(input.data) }),
  };
}
