import type { BaseDoc, CollectionDef } from '../store/index.ts';

/** A change to a mapping, for the outbox relay: sync resyncs what an activation changed. */
export interface MappingEvent {
  id: string;
  type: 'mapping.activated' | 'mapping.deleted';
  at: Date;
  mappingId: string;
  connectionId: string;
  /** The version active before (absent for the first activation). */
  fromVersion?: number;
  toVersion?: number;
  /** Why it was activated. */
  reason?: 'created' | 'new-version' | 'activated' | 'rolled-back';
}

/**
 * A mapping between one hub object type and one remote object type on one connection. Its specs
 * are the immutable versions in `mapping_versions`; this document says which one is active.
 */
export interface MappingDoc extends BaseDoc {
  connectionId: string;
  name: string;
  hubObject: string;
  remoteObject: string;
  direction: 'in' | 'out' | 'both';
  /** The highest version number handed out (a crash can leave a gap). */
  latestVersion: number;
  /** The version sync uses; null when none is (a staged first version). */
  activeVersion: number | null;
  /** The version active before the current one, for a one-step rollback. */
  previousActiveVersion?: number;
  status: 'active' | 'deleted';
  deletedAt?: Date;
  createdBy?: string;
  outbox?: MappingEvent[];
}

/**
 * One immutable version of a mapping spec. The spec is stored as JSON text: value-map keys and
 * defaults may hold any key (dots included), which stored field names may not.
 */
export interface MappingVersionDoc extends BaseDoc {
  mappingId: string;
  number: number;
  /** The validated spec (defaults applied) as JSON. */
  spec: string;
  /** Content hash of the spec. */
  specHash: string;
  /** The text as the admin sent it (YAML keeps its comments), when it came as text. */
  source?: { mediaType: string; text: string };
  createdBy?: string;
}

export const mappingsCollection: CollectionDef<MappingDoc> = {
  name: 'mappings',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, connectionId: 1, status: 1 } }],
};

export const mappingVersionsCollection: CollectionDef<MappingVersionDoc> = {
  name: 'mapping_versions',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, mappingId: 1, number: 1 }, unique: true }],
};
