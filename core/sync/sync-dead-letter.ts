import type { BaseDoc, CollectionDef } from '../store/index.ts';

/**
 * A sync job that failed for good (a vendor 4xx, a mapping error, rejected credentials, attempts
 * used up), kept for replay once the cause is fixed. One letter per direction, connection,
 * mapping and record: a new failure of the same record updates it.
 */
export interface SyncDeadLetterDoc extends BaseDoc {
  key: string;
  direction: 'out' | 'in';
  queue: 'sync-out' | 'sync-in';
  jobName: string;
  /** The job's data as JSON text (remote records may hold keys the stores refuse). */
  data: string;
  lastJobId?: string;
  connectionId: string;
  mappingId?: string;
  hubObject?: string;
  hubId?: string;
  remoteObject?: string;
  remoteId?: string;
  /** What the group is about: the hub object outbound, the remote object inbound. */
  entity: string;
  error: { code: string; name: string; message: string; status?: number; body?: string };
  status: 'open' | 'replayed' | 'resolved';
  failures: number;
  firstFailedAt: Date;
  lastFailedAt: Date;
  replayCount: number;
  lastReplayedAt?: Date;
  resolvedAt?: Date;
}

export const syncDeadLettersCollection: CollectionDef<SyncDeadLetterDoc> = {
  name: 'sync_dead_letters',
  scope: 'tenant',
  indexes: [
    { fields: { tenantId: 1, key: 1 }, unique: true },
    { fields: { tenantId: 1, status: 1, connectionId: 1, entity: 1 } },
  ],
};
