import type { Filter, Page, TenantStore } from '../store/index.ts';
import { syncDeadLettersCollection, type SyncDeadLetterDoc } from './sync-dead-letter.ts';

/** A failure to keep for replay. */
export interface NewDeadLetter {
  direction: 'out' | 'in';
  queue: 'sync-out' | 'sync-in';
  jobName: string;
  jobId?: string;
  data: unknown;
  connectionId: string;
  mappingId?: string;
  hubObject?: string;
  hubId?: string;
  remoteObject?: string;
  remoteId?: string;
  error: SyncDeadLetterDoc['error'];
}

/** One letter per direction, connection, mapping and record. */
export function deadLetterKey(d: Pick<NewDeadLetter, 'direction' | 'connectionId' | 'mappingId' | 'hubId' | 'remoteObject' | 'remoteId'>): string {
  const record = d.direction === 'out' ? (d.hubId ?? '') : `${d.remoteObject ?? ''}/${d.remoteId ?? ''}`;
  return [d.direction, d.connectionId, d.mappingId ?? '', record].join('|');
}

/** Records (or renews) the dead letter of a failed record; it is open until replayed and resolved. */
export async function recordDeadLetter(db: TenantStore, letter: NewDeadLetter, at: Date): Promise<SyncDeadLetterDoc> {
  const key = deadLetterKey(letter);
  const entity = letter.direction === 'out' ? (letter.hubObject ?? 'unknown') : (letter.remoteObject ?? 'unknown');
  const onInsert: Record<string, unknown> = { firstFailedAt: at, replayCount: 0, direction: letter.direction, connectionId: letter.connectionId, entity };
  for (const name of ['mappingId', 'hubObject', 'hubId', 'remoteObject', 'remoteId'] as const) if (letter[name] !== undefined) onInsert[name] = letter[name];
  const set: Record<string, unknown> = {
    queue: letter.queue,
    jobName: letter.jobName,
    data: JSON.stringify(letter.data),
    error: letter.error,
    status: 'open',
    lastFailedAt: at,
    ...(letter.jobId === undefined ? {} : { lastJobId: letter.jobId }),
  };
  const doc = await db.collection(syncDeadLettersCollection).findOneAndUpdate({ key }, { $set: set, $setOnInsert: onInsert, $inc: { failures: 1 }, $unset: { resolvedAt: true } }, { upsert: true });
  return doc!;
}

/** Marks the letter of `key` resolved: its record synced after all. */
export async function resolveDeadLetter(db: TenantStore, key: string, at: Date): Promise<boolean> {
  const done = await db.collection(syncDeadLettersCollection).updateOne({ key, status: { $in: ['open', 'replayed'] } }, { $set: { status: 'resolved', resolvedAt: at } });
  return done !== null;
}

/** Marks a letter replayed (its job queued again). */
export function markReplayed(db: TenantStore, id: string, at: Date): Promise<SyncDeadLetterDoc | null> {
  return db.collection(syncDeadLettersCollection).updateOne({ _id: id }, { $set: { status: 'replayed', lastReplayedAt: at }, $inc: { replayCount: 1 } });
}

/** Which letters a list, a group count or a bulk replay covers. */
export interface DeadLetterQuery {
  status?: SyncDeadLetterDoc['status'];
  connectionId?: string;
  mappingId?: string;
  hubId?: string;
  entity?: string;
}

/** The store filter of a query. */
export function deadLetterFilter(q: DeadLetterQuery): Filter {
  const filter: Filter = {};
  for (const name of ['status', 'connectionId', 'mappingId', 'hubId', 'entity'] as const) if (q[name] !== undefined) filter[name] = q[name];
  return filter;
}

/** Letters matching a query, newest failure first. */
export function listDeadLetters(db: TenantStore, q: DeadLetterQuery, { cursor, limit = 50 }: { cursor?: string | null; limit?: number } = {}): Promise<Page<SyncDeadLetterDoc>> {
  return db.collection(syncDeadLettersCollection).page(deadLetterFilter(q), { sortBy: 'lastFailedAt', direction: -1, limit, cursor: cursor ?? null });
}

/** Counts per connection and entity (and status), for the overview. */
export interface DeadLetterGroup {
  connectionId: string;
  entity: string;
  status: SyncDeadLetterDoc['status'];
  count: number;
  lastFailedAt: Date;
}

/** How many letters each connection and entity has, per status. */
export async function groupDeadLetters(db: TenantStore, q: DeadLetterQuery): Promise<DeadLetterGroup[]> {
  const rows = await db.collection(syncDeadLettersCollection).aggregate<{ _id: { connectionId: string; entity: string; status: SyncDeadLetterDoc['status'] }; count: number; lastFailedAt: Date }>([
    { $match: deadLetterFilter(q) },
    { $group: { _id: { connectionId: '$connectionId', entity: '$entity', status: '$status' }, count: { $sum: 1 }, lastFailedAt: { $max: '$lastFailedAt' } } },
    { $sort: { '_id.connectionId': 1, '_id.entity': 1, '_id.status': 1 } },
  ]);
  return rows.map((r) => ({ ...r._id, count: r.count, lastFailedAt: r.lastFailedAt }));
}
