import type { Filter, TenantStore, Update } from '../store/index.ts';
import { pendingRemoteKey, syncLinksCollection, type SyncLinkDoc } from './sync-link.ts';

/** What identifies a link: one hub record through one mapping of one connection. */
export interface LinkIdentity {
  connectionId: string;
  mappingId: string;
  hubObject: string;
  hubId: string;
  remoteObject: string;
}

/** The link of a hub record through a mapping, or null. */
export function findLinkByHub(db: TenantStore, ident: Pick<LinkIdentity, 'connectionId' | 'mappingId' | 'hubId'>): Promise<SyncLinkDoc | null> {
  return db.collection(syncLinksCollection).findOne({ connectionId: ident.connectionId, mappingId: ident.mappingId, hubId: ident.hubId });
}

/** The link of a remote record through a mapping, or null. */
export function findLinkByRemote(
  db: TenantStore,
  ident: { connectionId: string; mappingId: string; remoteObject: string; remoteId: string },
): Promise<SyncLinkDoc | null> {
  return db.collection(syncLinksCollection).findOne({ connectionId: ident.connectionId, mappingId: ident.mappingId, remoteObject: ident.remoteObject, remoteKey: ident.remoteId });
}

/**
 * A link of the same remote record through another mapping of the connection to the same hub
 * object: it names the hub record a new mapping should pair the remote record with.
 */
export function findSiblingLink(
  db: TenantStore,
  ident: { connectionId: string; remoteObject: string; remoteId: string; hubObject: string },
): Promise<SyncLinkDoc | null> {
  return db.collection(syncLinksCollection).findOne({ connectionId: ident.connectionId, remoteObject: ident.remoteObject, remoteKey: ident.remoteId, hubObject: ident.hubObject });
}

/** Every link of a hub record, oldest first: its lineage. */
export function linksOfHubRecord(db: TenantStore, hubObject: string, hubId: string): Promise<SyncLinkDoc[]> {
  return db.collection(syncLinksCollection).find({ hubObject, hubId }, { sort: { createdAt: 1 } });
}

/** Links of a mapping that point at a remote record, in id order, a page at a time. */
export function linkedRecordsOfMapping(db: TenantStore, mappingId: string, { after, limit = 500 }: { after?: string; limit?: number } = {}): Promise<SyncLinkDoc[]> {
  const filter: Filter = { mappingId, remoteId: { $exists: true } };
  if (after !== undefined) filter._id = { $gt: after };
  return db.collection(syncLinksCollection).find(filter, { sort: { _id: 1 }, limit });
}

/**
 * Creates or updates the link of `ident` with `fields`. A new link starts at generation 0, with
 * no field hashes and no conflicts, its remote key a placeholder until `remoteId` is set.
 */
export function saveLink(
  db: TenantStore,
  ident: LinkIdentity,
  fields: Partial<Omit<SyncLinkDoc, keyof LinkIdentity | '_id' | 'tenantId' | 'version' | 'createdAt' | 'updatedAt'>>,
  extra: Pick<Update, '$unset' | '$pull' | '$addToSet'> = {},
  options: { expectedVersion?: number } = {},
): Promise<SyncLinkDoc | null> {
  const set: Record<string, unknown> = { hubObject: ident.hubObject, remoteObject: ident.remoteObject, ...fields };
  if (typeof fields.remoteId === 'string') set.remoteKey = fields.remoteId;
  const onInsert: Record<string, unknown> = {};
  const defaults: Record<string, unknown> = { generation: 0, fieldHashes: [], conflictFields: [], remoteKey: pendingRemoteKey(ident.mappingId, ident.hubId), status: 'linked' };
  const touched = new Set([...Object.keys(extra.$unset ?? {}), ...Object.keys(extra.$pull ?? {}), ...Object.keys(extra.$addToSet ?? {})]);
  for (const [k, v] of Object.entries(defaults)) if (!(k in set) && !touched.has(k)) onInsert[k] = v;
  const update: Update = { $set: set, ...(Object.keys(onInsert).length > 0 ? { $setOnInsert: onInsert } : {}), ...extra };
  return db
    .collection(syncLinksCollection)
    .updateOne({ connectionId: ident.connectionId, mappingId: ident.mappingId, hubId: ident.hubId }, update, { upsert: options.expectedVersion === undefined, ...options });
}
