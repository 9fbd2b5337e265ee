import { deadLetterFilter, markReplayed, syncDeadLettersCollection, type DeadLetterQuery, type SyncDeadLetterDoc } from '../../core/sync/index.ts';
import type { TenantStore } from '../../core/store/index.ts';
import type { HubQueues } from '../create-queues.ts';
import { pushJobOptions, retryOptions, SYNC_IN_JOBS, SYNC_OUT_JOBS, type ApplyJobData, type PollJobData, type PushJobData } from './sync-jobs.ts';

/** What replaying needs: the queues, the clock and the retry settings. */
export interface ReplayDeps {
  queues: HubQueues;
  now: () => Date;
  retry?: { attempts: number; backoffMs: number };
}

const DEFAULT_RETRY = { attempts: 8, backoffMs: 1000 };

/**
 * Queues a dead letter's job again under a new id (`replay-<letter id>-<n>`) and marks it
 * `replayed`. The job reads the mapping's CURRENT active version, so a replay after a mapping fix
 * uses the fix; an inbound record is read again from the vendor when the connector can (the
 * stored copy may be stale) and applied even if its version was seen. The letter becomes
 * `resolved` when the replayed job succeeds, and `open` again if it fails.
 */
export async function replayDeadLetter(deps: ReplayDeps, db: TenantStore, letter: SyncDeadLetterDoc): Promise<{ jobId: string }> {
  const retry = deps.retry ?? DEFAULT_RETRY;
  const jobId = `replay-${letter._id}-${letter.replayCount + 1}`;
  const data = JSON.parse(letter.data) as Record<string, unknown>;
  if (letter.queue === 'sync-out') {
    const job = { ...(data as unknown as PushJobData), cause: 'replay' as const, deadLetterId: letter._id };
    delete job.runId;
    await deps.queues.get('sync-out').add(SYNC_OUT_JOBS.push, job, pushJobOptions(jobId, job, retry));
  } else if (letter.jobName === SYNC_IN_JOBS.poll) {
    await deps.queues.get('sync-in').add(SYNC_IN_JOBS.poll, data as unknown as PollJobData, retryOptions(jobId, retry));
  } else {
    const { record: stored, ...rest } = data as unknown as ApplyJobData;
    const job: ApplyJobData = {
      ...rest,
      source: 'replay',
      force: true,
      deadLetterId: letter._id,
      ...(letter.mappingId === undefined ? {} : { mappingId: letter.mappingId }),
      ...(stored === undefined ? {} : { fallbackRecord: stored }),
    };
    await deps.queues.get('sync-in').add(SYNC_IN_JOBS.apply, job, retryOptions(jobId, retry));
  }
  await markReplayed(db, letter._id, deps.now());
  return { jobId };
}

/** Replays every open letter a query matches (oldest failure first), up to `limit`. */
export async function replayDeadLetters(deps: ReplayDeps, db: TenantStore, query: Omit<DeadLetterQuery, 'status'>, { limit = 1000 }: { limit?: number } = {}): Promise<{ matched: number; replayed: number; truncated: boolean }> {
  const letters = await db.collection(syncDeadLettersCollection).find({ ...deadLetterFilter(query), status: 'open' }, { sort: { lastFailedAt: 1 }, limit: limit + 1 });
  const batch = letters.slice(0, limit);
  let replayed = 0;
  for (const letter of batch) {
    await replayDeadLetter(deps, db, letter);
    replayed += 1;
  }
  return { matched: batch.length, replayed, truncated: letters.length > limit };
}
