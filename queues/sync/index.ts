// The public surface of queues/sync: the two-way sync engine and what routes and wiring use.

export { createSyncEngine, type SyncEngine, type SyncEngineDeps } from './create-sync-engine.ts';
export type { SyncOptions, SyncRuntime, SyncSeams } from './sync-runtime.ts';
export { SYNC_IN_JOBS, SYNC_OUT_JOBS, pushDedupId, pushJobOptions, type ApplyJobData, type PollJobData, type PushJobData, type ResyncJobData } from './sync-jobs.ts';
export { replayDeadLetter, replayDeadLetters, type ReplayDeps } from './replay-dead-letter.ts';
export { resolveSyncConflict, type ConflictChoice, type ResolveResult } from './resolve-conflict.ts';
export { HUB_OBJECTS, type HubObjectAdapter, type HubRecord } from './hub-objects.ts';
export { hubTargetOf } from './sync-out-hook.ts';
export { MAPPING_EVENTS_SCHEDULER_ID, SCHEDULE_POLLS_SCHEDULER_ID, reconcilePollingSchedulers } from './polling-schedulers.ts';
export { createTokenBucket, type TokenBucket } from './token-bucket.ts';
export { SyncFailure } from './sync-failure.ts';
