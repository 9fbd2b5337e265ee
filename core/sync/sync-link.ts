import type { BaseDoc, CollectionDef } from '../store/index.ts';

/** One stored value of a link snapshot: a hub path and its value (paths hold dots, so pairs, not keys). */
export interface StoredValue {
  path: string;
  value: unknown;
}

/** What the hub believes the remote record holds at one mapped remote path, as a content hash. */
export interface FieldHash {
  path: string;
  hash: string;
}

/**
 * - `linked`: in step; `conflict`: in step except fields waiting for review;
 * - `failed`: the last attempt went to dead letters (a create that never happened has no remoteId);
 * - `deleted` / `closed`: the remote record was deleted or closed (by the hub's delete policy or remotely).
 */
export type SyncLinkStatus = 'linked' | 'conflict' | 'failed' | 'deleted' | 'closed';

/**
 * The pairing of one hub record with one remote record through one mapping, and what the last
 * successful sync in either direction left behind: the content each side held, so echoes of the
 * hub's own writes and no-op changes are recognised.
 */
export interface SyncLinkDoc extends BaseDoc {
  connectionId: string;
  mappingId: string;
  /** The mapping version of the last successful sync. */
  mappingVersion?: number;
  hubObject: string;
  hubId: string;
  remoteObject: string;
  /** The vendor id; absent until the remote record exists. */
  remoteId?: string;
  /**
   * `remoteId` when known, otherwise a placeholder unique to this link, so the unique index on
   * the remote side holds without a sparse compound index (which the stores treat differently).
   */
  remoteKey: string;
  /** Bumped when the remote record was deleted and the hub creates a new one: a fresh idempotency key. */
  generation: number;
  /** Digest of `fieldHashes`: the mapped content the remote holds as far as the hub knows. */
  lastHash?: string;
  fieldHashes: FieldHash[];
  /** The vendor version (ETag, SyncToken, modified stamp) last written or read. */
  lastRemoteVersion?: string;
  /** The vendor's update time last seen (ISO 8601), when it reports one. */
  lastRemoteUpdatedAt?: string;
  /** A remote version being applied to the hub; it becomes `lastRemoteVersion` once applied. */
  pendingRemoteVersion?: string;
  /** Hub terms: the mapped hub values after the last successful sync (mappings' `linkSnapshot`). */
  lastSnapshot?: { hash: string; values: StoredValue[] };
  lastSyncedAt?: Date;
  lastDirection?: 'out' | 'in';
  lastOperation?: 'create' | 'update' | 'delete' | 'close' | 'apply' | 'link';
  status: SyncLinkStatus;
  lastError?: { code: string; message: string; at: Date; status?: number };
  /** Hub paths with an open conflict: neither direction writes them until the conflict is resolved. */
  conflictFields: string[];
}

export const syncLinksCollection: CollectionDef<SyncLinkDoc> = {
  name: 'sync_links',
  scope: 'tenant',
  indexes: [
    { fields: { tenantId: 1, connectionId: 1, mappingId: 1, hubId: 1 }, unique: true },
    // Per mapping: two mappings may read the same remote record (Jira's two-way starter and its
    // one-way progress mapping), each with its own link.
    { fields: { tenantId: 1, connectionId: 1, mappingId: 1, remoteObject: 1, remoteKey: 1 }, unique: true },
    { fields: { tenantId: 1, hubObject: 1, hubId: 1 } },
    { fields: { tenantId: 1, connectionId: 1, remoteObject: 1, remoteKey: 1 } },
  ],
};

/** The placeholder `remoteKey` of a link whose remote record does not exist yet. */
export function pendingRemoteKey(mappingId: string, hubId: string): string {
  return `~${mappingId}~${hubId}`;
}
