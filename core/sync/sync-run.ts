import type { BaseDoc, CollectionDef } from '../store/index.ts';

/** What a run did to records: each record counts once, under its outcome. */
export interface SyncCounts {
  created: number;
  updated: number;
  skipped: number;
  conflicts: number;
  failed: number;
}

/** The outcome of one record in a run. */
export type SyncOutcome = keyof SyncCounts;

/**
 * A unit of sync work with its counts. `outbound`: pushes of one connection in one window (a
 * minute by default); `poll`: one polling sweep job; `webhook`: inbound changes of one connection
 * from webhooks in one window; `resync`: pushes a mapping change asked for.
 */
export interface SyncRunDoc extends BaseDoc {
  kind: 'outbound' | 'poll' | 'webhook' | 'resync';
  connectionId: string;
  remoteObject?: string;
  mappingId?: string;
  startedAt: Date;
  /** The end of the window, or when the sweep finished. */
  endedAt?: Date;
  lastActivityAt: Date;
  counts: SyncCounts;
}

export const syncRunsCollection: CollectionDef<SyncRunDoc> = {
  name: 'sync_runs',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, connectionId: 1, startedAt: -1 } }, { fields: { startedAt: 1 }, expireAfterSeconds: 30 * 24 * 3600 }],
};

/** Zero counts. */
export function emptyCounts(): SyncCounts {
  return { created: 0, updated: 0, skipped: 0, conflicts: 0, failed: 0 };
}
