import { DEFAULT_IGNORED_FIELDS, fieldDiff, type FieldChange } from '../audit/index.ts';
import { newId, type BaseDoc, type CollectionDef, type Filter, type Store, type TenantStore } from '../store/index.ts';
import type { Actor, AggregateType, DomainContext, DomainEvent } from '../domain/index.ts';
import { appendAudit } from './append-audit.ts';

/** The document field where audit entries wait, written in the same update as the change they record. */
export const PENDING_AUDIT_FIELD = 'auditOutbox';

/** Bookkeeping that says nothing about the business change. */
export const AUDIT_IGNORED_FIELDS: readonly string[] = [...DEFAULT_IGNORED_FIELDS, PENDING_AUDIT_FIELD, '_id', 'tenantId', 'revision', 'createdAt'];

/**
 * An audit entry waiting on the changed document until it is linked into the tenant's chain.
 * Its `id` becomes the entry's id, so linking it twice finds the first and stops.
 */
export interface PendingAuditEntry {
  id: string;
  /** Entries written together share it, so one write can clear them all from many documents. */
  batch: string;
  at: Date;
  actor: Actor;
  action: string;
  aggregate: { type: AggregateType; id: string };
  changes: FieldChange[];
  /**
   * For a creation written in bulk: the created record, whose diff from nothing becomes the
   * entry's changes when it is linked (the record is a fraction of the size of its changes, and
   * bulk writes keep thousands of entries waiting). `changes` is then empty.
   */
  created?: Record<string, unknown>;
  data?: Record<string, unknown>;
}

/** A document that may hold pending audit entries. */
export interface PendingAuditHolder extends BaseDoc {
  auditOutbox?: PendingAuditEntry[];
}

/** One change to a document, before and after (`before` is null for a creation). */
export interface RecordedChange {
  action: string;
  aggregate: { type: AggregateType; id: string };
  before: Readonly<Record<string, unknown>> | null;
  after: Readonly<Record<string, unknown>>;
  data?: Record<string, unknown>;
}

/**
 * The audit entry for `change`, stamped with `ctx`'s actor and clock, to be written with the
 * change: `$push: { auditOutbox: entry }` in the same update (or the field on an inserted
 * document). {@link settlePendingAudit} then links it into the chain; if the process stops first,
 * {@link pendingAuditHook} does when the change's domain event comes through.
 *
 * @example const entry = pendingAudit(ctx, { action: 'milestone.updated', aggregate, before: doc, after: next })
 */
export function pendingAudit(
  ctx: DomainContext,
  change: RecordedChange,
  options: { id?: string; batch?: string; at?: Date; /** Keep a creation's record and diff it when linked (see `created`). */ diffWhenLinked?: boolean } = {},
): PendingAuditEntry {
  const id = options.id ?? newId('aud');
  const deferred = options.diffWhenLinked === true && change.before === null;
  return {
    id,
    batch: options.batch ?? id,
    at: options.at ?? ctx.now(),
    actor: ctx.actor,
    action: change.action,
    aggregate: { type: change.aggregate.type, id: change.aggregate.id },
    changes: deferred ? [] : fieldDiff((change.before ?? {}) as Record<string, unknown>, change.after as Record<string, unknown>, { ignore: AUDIT_IGNORED_FIELDS }),
    ...(deferred ? { created: change.after as Record<string, unknown> } : {}),
    ...(change.data === undefined ? {} : { data: change.data }),
  };
}

/**
 * Links the pending entries of `docs` (as read or as written) into the audit chain, each once
 * however often this runs, then removes them from the documents. `where` narrows the clearing
 * write for a batch over many documents (an indexed field they share, such as their project).
 * Returns how many entries it linked or found linked already.
 */
export async function settlePendingAudit(
  db: TenantStore,
  def: CollectionDef,
  docs: readonly Pick<PendingAuditHolder, '_id' | 'auditOutbox'>[],
  options: { where?: Filter } = {},
): Promise<number> {
  const entries = docs.flatMap((d) => d.auditOutbox ?? []);
  if (entries.length === 0) return 0;
  await appendAudit(
    db,
    entries.map(({ batch: _batch, created, ...entry }) =>
      created === undefined ? entry : { ...entry, changes: fieldDiff({}, created, { ignore: AUDIT_IGNORED_FIELDS }) },
    ),
  );
  const col = db.collection(def as CollectionDef<PendingAuditHolder>);
  const batches = [...new Set(entries.map((e) => e.batch))];
  const matchBatch = batches.length === 1 ? batches[0] : { $in: batches };
  if (docs.length === 1) {
    // A batch's entries are written in one write, so a document holding one holds them all: they
    // are pulled by their batch, not by comparing every entry with every id (a bulk insert keeps
    // thousands on one document).
    const pull = entries.every((e) => typeof e.batch === 'string') ? { batch: matchBatch } : { id: { $in: entries.map((e) => e.id) } };
    await col.updateOne({ _id: docs[0]!._id }, { $pull: { auditOutbox: pull } });
  } else {
    await col.updateMany({ ...options.where, 'auditOutbox.batch': matchBatch }, { $pull: { auditOutbox: { batch: matchBatch } } });
  }
  return entries.length;
}

/**
 * The collection each aggregate type that keeps pending audit entries lives in, by name: lets
 * {@link pendingAuditHook} take the list of collections the outbox relay reads
 * (`OUTBOX_COLLECTIONS`) as well as a map.
 */
export const AGGREGATE_COLLECTION_NAMES: Readonly<Partial<Record<AggregateType, string>>> = {
  project: 'projects',
  milestone: 'milestones',
  person: 'people',
  verification: 'verifications',
  dispute: 'disputes',
  delegation: 'delegations',
  invoice: 'invoices',
  payment: 'payments',
};

/**
 * A follower of domain events that links audit entries left pending on the event's aggregate,
 * by a process that stopped between writing a change and linking its entry. Idempotent.
 * `collections` maps aggregate types to their collections, or lists collections, each found
 * by {@link AGGREGATE_COLLECTION_NAMES}.
 *
 * @example domainEvents: [pendingAuditHook(store, OUTBOX_COLLECTIONS)]
 */
export function pendingAuditHook(
  store: Store,
  collections: Partial<Record<AggregateType, CollectionDef>> | readonly CollectionDef[],
): (event: DomainEvent) => Promise<void> {
  const byType = auditedCollections(collections);
  return async (event) => {
    const def = byType.get(event.aggregate.type);
    if (!def) return;
    const db = store.forTenant(event.tenantId);
    const doc = await db
      .collection(def as CollectionDef<PendingAuditHolder>)
      .findOne({ _id: event.aggregate.id, 'auditOutbox.0': { $exists: true } }, { projection: { _id: 1, auditOutbox: 1 } });
    if (doc) await settlePendingAudit(db, def, [doc]);
  };
}

function auditedCollections(collections: Partial<Record<AggregateType, CollectionDef>> | readonly CollectionDef[]): Map<string, CollectionDef> {
  if (!Array.isArray(collections)) return new Map(Object.entries(collections as Partial<Record<AggregateType, CollectionDef>>).filter((e): e is [string, CollectionDef] => e[1] !== undefined));
  const byName = new Map((collections as readonly CollectionDef[]).map((def) => [def.name, def]));
  const byType = new Map<string, CollectionDef>();
  for (const [type, name] of Object.entries(AGGREGATE_COLLECTION_NAMES)) {
    const def = name === undefined ? undefined : byName.get(name);
    if (def) byType.set(type, def);
  }
  return byType;
}

/**
 * Links the audit entries a write left pending on its documents, right after the write. The
 * change is stored already, so a failure here does not fail the caller: the entries stay on the
 * documents and {@link pendingAuditHook} links them when the change's domain event comes through
 * the outbox (or the next write to the document links them first).
 *
 * @example await linkPendingAudit(ctx, projectsCollection, [written.value.after])
 */
export async function linkPendingAudit(
  ctx: Pick<DomainContext, 'db'>,
  def: CollectionDef,
  docs: readonly Pick<PendingAuditHolder, '_id' | 'auditOutbox'>[],
  options: { where?: Filter } = {},
): Promise<void> {
  try {
    await settlePendingAudit(ctx.db, def, docs, options);
  } catch {
    // Left pending on purpose; see above.
  }
}

/** A document as callers see it: pending audit entries are the store's business. */
export function withoutPendingAudit<T extends object>(doc: T): T {
  if (!('auditOutbox' in doc)) return doc;
  const { auditOutbox: _pending, ...rest } = doc as T & { auditOutbox?: unknown };
  return rest as T;
}
