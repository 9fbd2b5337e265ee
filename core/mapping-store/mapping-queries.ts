import type { Filter, Page, TenantStore } from '../store/index.ts';
import { mappingsCollection, type MappingDoc, type MappingVersionDoc } from './collections.ts';
import { mappingEvent } from './mapping-event.ts';
import { getMappingVersion } from './mapping-versions.ts';

/** A mapping of the tenant, or null when missing, another tenant's or deleted. */
export async function loadMapping(db: TenantStore, id: string): Promise<MappingDoc | null> {
  const doc = await db.collection(mappingsCollection).findById(id);
  return doc === null || doc.status === 'deleted' ? null : doc;
}

/** The tenant's live mappings, optionally of one connection. */
export function listMappings(db: TenantStore, { connectionId, cursor, limit = 50 }: { connectionId?: string; cursor?: string | null; limit?: number } = {}): Promise<Page<MappingDoc>> {
  const filter: Filter = { status: 'active' };
  if (connectionId !== undefined) filter.connectionId = connectionId;
  return db.collection(mappingsCollection).page(filter, { cursor: cursor ?? null, limit });
}

/** Soft-deletes a mapping: sync stops using it; its versions stay for lineage. */
export async function deleteMapping(db: TenantStore, mapping: MappingDoc, now: Date): Promise<void> {
  await db.collection(mappingsCollection).updateOne(
    { _id: mapping._id },
    { $set: { status: 'deleted', deletedAt: now, activeVersion: null }, $push: { outbox: mappingEvent('mapping.deleted', mapping, now) } },
  );
}

/** An active mapping with its active version; `spec` is the stored JSON parsed, still to be checked by `mappings`. */
export interface ActiveMapping {
  mapping: MappingDoc;
  version: MappingVersionDoc;
  spec: unknown;
}

/**
 * The active mappings (with their active specs) of a connection, or of one hub object type: what
 * sync applies. Compile each once per `{ specId: mapping._id, version: version.number }`.
 */
export async function activeMappings(db: TenantStore, { connectionId, hubObject }: { connectionId?: string; hubObject?: string } = {}): Promise<ActiveMapping[]> {
  const filter: Filter = { status: 'active', activeVersion: { $ne: null } };
  if (connectionId !== undefined) filter.connectionId = connectionId;
  if (hubObject !== undefined) filter.hubObject = hubObject;
  const mappings = await db.collection(mappingsCollection).find(filter, { sort: { _id: 1 } });
  const out: ActiveMapping[] = [];
  for (const mapping of mappings) {
    const version = await getMappingVersion(db, mapping._id, mapping.activeVersion!);
    if (version !== null) out.push({ mapping, version, spec: JSON.parse(version.spec) as unknown });
  }
  return out;
}
