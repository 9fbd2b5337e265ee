import type { Page, TenantStore } from '../store/index.ts';
import { syncRunsCollection, type SyncCounts, type SyncRunDoc } from './sync-run.ts';

/** Which run an outcome belongs to. */
export interface RunRef {
  id: string;
  kind: SyncRunDoc['kind'];
  connectionId: string;
  startedAt: Date;
  endedAt?: Date;
  remoteObject?: string;
  mappingId?: string;
}

/** The outbound (or webhook) run of a connection for the window holding `at`: one document per window. */
export function windowRun(kind: 'outbound' | 'webhook', connectionId: string, at: Date, windowMs = 60_000): RunRef {
  const start = Math.floor(at.getTime() / windowMs) * windowMs;
  return { id: `run-${kind === 'outbound' ? 'out' : 'hook'}-${connectionId}-${start}`, kind, connectionId, startedAt: new Date(start), endedAt: new Date(start + windowMs) };
}

/** Adds outcome counts to a run, creating it on first use. */
export async function countRun(db: TenantStore, run: RunRef, counts: Partial<SyncCounts>, at: Date): Promise<void> {
  const $inc: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts)) if (v) $inc[`counts.${k}`] = v;
  const onInsert: Record<string, unknown> = { kind: run.kind, connectionId: run.connectionId, startedAt: run.startedAt };
  if (run.remoteObject !== undefined) onInsert.remoteObject = run.remoteObject;
  if (run.mappingId !== undefined) onInsert.mappingId = run.mappingId;
  // Counts start at zero for every outcome, so a run always lists all five.
  for (const k of ['created', 'updated', 'skipped', 'conflicts', 'failed']) if (!(`counts.${k}` in $inc)) $inc[`counts.${k}`] = 0;
  await db.collection(syncRunsCollection).updateOne(
    { _id: run.id },
    { $setOnInsert: onInsert, $set: { lastActivityAt: at, ...(run.endedAt === undefined ? {} : { endedAt: run.endedAt }) }, $inc },
    { upsert: true },
  );
}

/** The tenant's runs, newest first. */
export function listRuns(
  db: TenantStore,
  { connectionId, kind, cursor, limit = 50 }: { connectionId?: string; kind?: SyncRunDoc['kind']; cursor?: string | null; limit?: number },
): Promise<Page<SyncRunDoc>> {
  return db.collection(syncRunsCollection).page(
    { ...(connectionId === undefined ? {} : { connectionId }), ...(kind === undefined ? {} : { kind }) },
    { sortBy: 'startedAt', direction: -1, limit, cursor: cursor ?? null },
  );
}
