// The public surface of core/sync: the documents two-way sync keeps, and the pure rules it applies.

export { pendingRemoteKey, syncLinksCollection, type FieldHash, type StoredValue, type SyncLinkDoc, type SyncLinkStatus } from './sync-link.ts';
export { syncConflictsCollection, type SyncConflictDoc, type SyncConflictKind } from './sync-conflict.ts';
export { emptyCounts, syncRunsCollection, type SyncCounts, type SyncOutcome, type SyncRunDoc } from './sync-run.ts';
export { syncDeadLettersCollection, type SyncDeadLetterDoc } from './sync-dead-letter.ts';
export { cursorId, syncCursorsCollection, type SyncCursorDoc } from './sync-cursor.ts';
export { fromStoredValues, toStoredValues } from './stored-values.ts';
export { compareVersions } from './compare-versions.ts';
export { BUCKET_FLOOR, DEFAULT_BUCKET, bucketParams, type BucketParams, type QuotaLike } from './bucket-params.ts';
export { findLinkByHub, findLinkByRemote, findSiblingLink, linkedRecordsOfMapping, linksOfHubRecord, saveLink, type LinkIdentity } from './link-store.ts';
export { conflictKey, conflictValue, listConflicts, markConflictResolved, recordConflict, type NewConflict } from './conflicts.ts';
export { countRun, listRuns, windowRun, type RunRef } from './runs.ts';
export {
  deadLetterFilter,
  deadLetterKey,
  groupDeadLetters,
  listDeadLetters,
  markReplayed,
  recordDeadLetter,
  resolveDeadLetter,
  type DeadLetterGroup,
  type DeadLetterQuery,
  type NewDeadLetter,
} from './dead-letters.ts';
export { loadCursor, saveCursor } from './cursors.ts';
