import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { RemoteRecord } from '../../connectors/index.ts';

/** Job names on the `sync-out` queue. */
export const SYNC_OUT_JOBS = { push: 'push', mappingEvents: 'mapping-events', resync: 'resync' } as const;
/** Job names on the `sync-in` queue. */
export const SYNC_IN_JOBS = { apply: 'apply', poll: 'poll', schedulePolls: 'schedule-polls' } as const;

/** One hub record to push through one mapping. */
export interface PushJobData {
  tenantId: string;
  connectionId: string;
  mappingId: string;
  hubObject: string;
  hubId: string;
  /** What asked for the push. */
  cause: 'event' | 'resync' | 'replay' | 'conflict';
  eventId?: string;
  /** A targeted resync: only these hub paths are considered (and sent where they differ). */
  onlyFields?: string[];
  /** Written whatever their owner and hash: the hub's side of a settled conflict. */
  forceFields?: string[];
  /** The run a resync counts in. */
  runId?: string;
  deadLetterId?: string;
}

/** One remote record to apply to the hub (from a webhook, or replayed). */
export interface ApplyJobData {
  tenantId: string;
  connectionId: string;
  remoteObject: string;
  remoteId: string;
  /** The record when the webhook carried it; otherwise it is read with the connector's `get`. */
  record?: RemoteRecord;
  /** A replay's stored copy, used only when the connector cannot read the record again. */
  fallbackRecord?: RemoteRecord;
  source: 'webhook' | 'replay' | 'conflict';
  eventKey?: string;
  /** Only this mapping (a replayed letter names one). */
  mappingId?: string;
  /** Apply even when the version says it was seen: a replay after a fix. */
  force?: boolean;
  deadLetterId?: string;
}

/** One polling sweep of one remote object of one connection. */
export interface PollJobData {
  tenantId: string;
  connectionId: string;
  remoteObject: string;
}

/** A mapping activation or deletion to act on. */
export interface ResyncJobData {
  tenantId: string;
  mappingId: string;
  connectionId: string;
  eventId: string;
  eventType: 'mapping.activated' | 'mapping.deleted';
  fromVersion?: number;
  toVersion?: number;
}

/** A short digest for job ids (BullMQ refuses ':' in custom ids; vendor ids may hold anything). */
export function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22);
}

/**
 * Pushes of one record coalesce: while one waits, later changes join it (the job reads the record
 * when it runs, so it sends the latest state); while one runs, the latest change waits behind it.
 * Two pushes of one record never run at once.
 */
export function pushDedupId(mappingId: string, hubId: string): string {
  return `push-${mappingId}-${hubId}`;
}

/** Options of a push job: its id from the business key, coalescing per record, retries with backoff. */
export function pushJobOptions(jobId: string, data: Pick<PushJobData, 'mappingId' | 'hubId'>, retry: { attempts: number; backoffMs: number }): JobsOptions {
  return {
    jobId,
    deduplication: { id: pushDedupId(data.mappingId, data.hubId), keepLastIfActive: true },
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs, jitter: 0.5 },
  };
}

/** Retry options every other sync job gets. */
export function retryOptions(jobId: string, retry: { attempts: number; backoffMs: number }): JobsOptions {
  return { jobId, attempts: retry.attempts, backoff: { type: 'exponential', delay: retry.backoffMs, jitter: 0.5 } };
}

/** The scheduler id of polling one remote object of one connection. */
export function pollSchedulerId(tenantId: string, connectionId: string, remoteObject: string): string {
  return `poll-${tenantId}-${connectionId}-${digest(remoteObject)}`;
}
