import type { BaseDoc, CollectionDef } from '../store/index.ts';

/**
 * - `field`: both sides changed a `newest` field and the timestamps cannot decide;
 * - `transition_refused`: the remote moved the status and the hub's workflow refused the move;
 * - `create_refused`: a new remote record could not become a hub record.
 */
export type SyncConflictKind = 'field' | 'transition_refused' | 'create_refused';

/**
 * A change sync could not apply without overwriting someone: kept for a person to settle. Values
 * are JSON text (they may be objects whose keys the stores refuse as field names).
 */
export interface SyncConflictDoc extends BaseDoc {
  /** One open conflict per link, kind and field: a newer remote change updates it. */
  key: string;
  kind: SyncConflictKind;
  connectionId: string;
  mappingId: string;
  linkId?: string;
  hubObject: string;
  hubId?: string;
  remoteObject: string;
  remoteId: string;
  /** The hub path in question (`status` for a refused transition). */
  field?: string;
  remotePath?: string;
  hubValue?: string;
  remoteValue?: string;
  reason: string;
  message: string;
  remoteVersion?: string;
  status: 'open' | 'resolved';
  resolution?: { take: 'hub' | 'remote' | 'value'; value?: string; by: string; at: Date };
}

export const syncConflictsCollection: CollectionDef<SyncConflictDoc> = {
  name: 'sync_conflicts',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, key: 1, status: 1 } }, { fields: { tenantId: 1, status: 1, connectionId: 1 } }],
};
