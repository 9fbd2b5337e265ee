import { newId, type TenantStore } from '../store/index.ts';
import { mappingsCollection, mappingVersionsCollection, type MappingDoc, type MappingEvent, type MappingVersionDoc } from './collections.ts';
import { mappingEvent } from './mapping-event.ts';

/** A spec version to store: validated by the caller, JSON text. */
export interface SpecVersionInput {
  /** The validated spec as JSON text. */
  spec: string;
  specHash: string;
  source?: { mediaType: string; text: string };
  createdBy?: string;
}

/** The header fields of a mapping, copied from its spec. */
export interface MappingHeader {
  connectionId: string;
  name: string;
  hubObject: string;
  remoteObject: string;
  direction: MappingDoc['direction'];
}

const versionId = (mappingId: string, n: number): string => `${mappingId}:v${n}`;

/**
 * Creates a mapping with its first version, active unless `activate` is false. The version is
 * written first, so a crash never leaves a mapping without its spec.
 */
export async function createMapping(db: TenantStore, header: MappingHeader, version: SpecVersionInput, { activate = true, now }: { activate?: boolean; now: Date }): Promise<MappingDoc> {
  const id = newId('map');
  await db.collection(mappingVersionsCollection).insert({ _id: versionId(id, 1), mappingId: id, number: 1, ...version });
  const base = { _id: id, connectionId: header.connectionId };
  return db.collection(mappingsCollection).insert({
    ...header,
    _id: id,
    latestVersion: 1,
    activeVersion: activate ? 1 : null,
    status: 'active',
    ...(version.createdBy === undefined ? {} : { createdBy: version.createdBy }),
    outbox: activate ? [mappingEvent('mapping.activated', base, now, { toVersion: 1, reason: 'created' })] : [],
  });
}

/**
 * Adds the next version: reserves its number on the mapping (atomically, so concurrent saves get
 * distinct numbers), stores it, and activates it unless `activate` is false. The mapping's header
 * follows the newest version.
 */
export async function addMappingVersion(
  db: TenantStore,
  mapping: MappingDoc,
  header: MappingHeader,
  version: SpecVersionInput,
  { activate = true, now }: { activate?: boolean; now: Date },
): Promise<{ mapping: MappingDoc; number: number } | null> {
  const reserved = await db.collection(mappingsCollection).findOneAndUpdate({ _id: mapping._id, status: 'active' }, { $inc: { latestVersion: 1 } });
  if (reserved === null) return null;
  const number = reserved.latestVersion;
  await db.collection(mappingVersionsCollection).insert({ _id: versionId(mapping._id, number), mappingId: mapping._id, number, ...version });
  const $set: Record<string, unknown> = { name: header.name, hubObject: header.hubObject, remoteObject: header.remoteObject, direction: header.direction };
  const update = activate
    ? activation(reserved, number, 'new-version', now, $set)
    : { $set };
  const updated = await db.collection(mappingsCollection).updateOne({ _id: mapping._id, status: 'active' }, update);
  return updated === null ? null : { mapping: updated, number };
}

/**
 * Makes an existing version the active one (activate, or roll back to an earlier one), as of the
 * mapping the caller read: a concurrent activation is a VersionConflictError.
 */
export async function activateMappingVersion(
  db: TenantStore,
  mapping: MappingDoc,
  number: number,
  { reason, now }: { reason: 'activated' | 'rolled-back'; now: Date },
): Promise<MappingDoc | null> {
  if (mapping.activeVersion === number) return mapping;
  return db.collection(mappingsCollection).updateOne({ _id: mapping._id, status: 'active' }, activation(mapping, number, reason, now, {}), { expectedVersion: mapping.version });
}

function activation(mapping: MappingDoc, number: number, reason: NonNullable<MappingEvent['reason']>, now: Date, $set: Record<string, unknown>) {
  const from = mapping.activeVersion ?? undefined;
  return {
    $set: { ...$set, activeVersion: number, ...(from === undefined ? {} : { previousActiveVersion: from }) },
    $push: { outbox: mappingEvent('mapping.activated', mapping, now, { ...(from === undefined ? {} : { fromVersion: from }), toVersion: number, reason }) },
  };
}

/** One version of a mapping, or null. */
export function getMappingVersion(db: TenantStore, mappingId: string, number: number): Promise<MappingVersionDoc | null> {
  return db.collection(mappingVersionsCollection).findById(versionId(mappingId, number));
}

/** Every version of a mapping, oldest first. */
export function listMappingVersions(db: TenantStore, mappingId: string): Promise<MappingVersionDoc[]> {
  return db.collection(mappingVersionsCollection).find({ mappingId }, { sort: { number: 1 } });
}
