import type { Filter, Page, TenantStore } from '../store/index.ts';
import { syncLinksCollection } from './sync-link.ts';
import { syncConflictsCollection, type SyncConflictDoc, type SyncConflictKind } from './sync-conflict.ts';

/** A conflict to record. Values are plain JSON values; they are stored as text. */
export interface NewConflict {
  kind: SyncConflictKind;
  connectionId: string;
  mappingId: string;
  linkId?: string;
  hubObject: string;
  hubId?: string;
  remoteObject: string;
  remoteId: string;
  field?: string;
  remotePath?: string;
  hubValue?: unknown;
  remoteValue?: unknown;
  reason: string;
  message: string;
  remoteVersion?: string;
}

const json = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value));

/** The key that keeps one open conflict per link (or remote record), kind and field. */
export function conflictKey(c: Pick<NewConflict, 'connectionId' | 'mappingId' | 'remoteObject' | 'remoteId' | 'kind' | 'field'>): string {
  return [c.connectionId, c.mappingId, c.remoteObject, c.remoteId, c.kind, c.field ?? ''].join('|');
}

/**
 * Records a conflict for review, or refreshes the open one with the same key (a newer remote
 * change to the same field), so a field never has two open conflicts.
 */
export async function recordConflict(db: TenantStore, conflict: NewConflict): Promise<SyncConflictDoc> {
  const key = conflictKey(conflict);
  const fields: Record<string, unknown> = {
    kind: conflict.kind,
    connectionId: conflict.connectionId,
    mappingId: conflict.mappingId,
    hubObject: conflict.hubObject,
    remoteObject: conflict.remoteObject,
    remoteId: conflict.remoteId,
    reason: conflict.reason,
    message: conflict.message,
  };
  for (const name of ['linkId', 'hubId', 'field', 'remotePath', 'remoteVersion'] as const) if (conflict[name] !== undefined) fields[name] = conflict[name];
  const hubValue = json(conflict.hubValue);
  const remoteValue = json(conflict.remoteValue);
  if (hubValue !== undefined) fields.hubValue = hubValue;
  if (remoteValue !== undefined) fields.remoteValue = remoteValue;
  const doc = await db.collection(syncConflictsCollection).findOneAndUpdate({ key, status: 'open' }, { $set: fields }, { upsert: true });
  return doc!;
}

/** The tenant's conflicts, newest first. */
export function listConflicts(
  db: TenantStore,
  { status, connectionId, hubId, mappingId, cursor, limit = 50 }: { status?: 'open' | 'resolved'; connectionId?: string; hubId?: string; mappingId?: string; cursor?: string | null; limit?: number },
): Promise<Page<SyncConflictDoc>> {
  const filter: Filter = {};
  if (status !== undefined) filter.status = status;
  if (connectionId !== undefined) filter.connectionId = connectionId;
  if (hubId !== undefined) filter.hubId = hubId;
  if (mappingId !== undefined) filter.mappingId = mappingId;
  return db.collection(syncConflictsCollection).page(filter, { sortBy: '_id', direction: -1, limit, cursor: cursor ?? null });
}

/**
 * Marks an open conflict resolved (compare-and-set on `open`, so two people cannot both resolve
 * it) and frees its field on the link. Null when it is not open any more.
 */
export async function markConflictResolved(
  db: TenantStore,
  conflict: SyncConflictDoc,
  resolution: { take: 'hub' | 'remote' | 'value'; value?: unknown; by: string; at: Date },
): Promise<SyncConflictDoc | null> {
  const stored = { take: resolution.take, by: resolution.by, at: resolution.at, ...(resolution.value === undefined ? {} : { value: JSON.stringify(resolution.value) }) };
  const done = await db.collection(syncConflictsCollection).updateOne({ _id: conflict._id, status: 'open' }, { $set: { status: 'resolved', resolution: stored } });
  if (done === null) return null;
  if (conflict.linkId !== undefined && conflict.field !== undefined) {
    const others = await db.collection(syncConflictsCollection).count({ linkId: conflict.linkId, field: conflict.field, status: 'open' });
    if (others === 0) await db.collection(syncLinksCollection).updateOne({ _id: conflict.linkId }, { $pull: { conflictFields: conflict.field } });
  }
  return done;
}

/** A stored conflict value back as JSON, or undefined. */
export function conflictValue(text: string | undefined): unknown {
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}
