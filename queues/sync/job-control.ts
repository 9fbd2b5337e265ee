import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { AuthExpiredError, OutboundUrlRefusedError, RateLimitedError, UnrecoverableVendorError } from '../../connectors/index.ts';
import type { TenantStore } from '../../core/store/index.ts';
import { recordDeadLetter, type NewDeadLetter } from '../../core/sync/index.ts';
import type { ConnectionHandle } from './connection-handles.ts';
import { SyncFailure } from './sync-failure.ts';
import type { SyncRuntime } from './sync-runtime.ts';

/** What a job's work may ask of the queue. */
export interface JobControl {
  /**
   * Takes one request's worth from the connection's token bucket, before each vendor call. When
   * the bucket is empty the job moves itself to delayed until tokens are back, without counting
   * an attempt, and the worker takes other work (other connections are not held up).
   */
  gate(handle: ConnectionHandle, cost?: number): Promise<void>;
}

/** A dead letter's error, from whatever went wrong. */
export interface LetterError {
  code: string;
  name: string;
  message: string;
  status?: number;
  body?: string;
}

/** Where a job's dead letter goes and what it says about the record. */
export interface ControlledJob {
  db: TenantStore;
  connectionId: string;
  letter: Omit<NewDeadLetter, 'error' | 'data' | 'jobName' | 'jobId'>;
  /** Called when the job goes to dead letters (mark the link failed, count the run). */
  onDead?: (error: LetterError) => Promise<void>;
}

const isQueueControl = (err: unknown): boolean =>
  err instanceof DelayedError || (err instanceof Error && (err.name === 'DelayedError' || err.name === 'RateLimitError' || err.message === 'bullmq:rateLimitExceeded'));

/**
 * Runs a sync job's work and turns its failures into what BullMQ does with them:
 * - `RateLimitedError` (a vendor 429): the connection's bucket is emptied for the Retry-After,
 *   the queue is rate-limited briefly (`queue.rateLimit`) and `Worker.RateLimitError()` puts the
 *   job back without counting a failure;
 * - `UnrecoverableVendorError`, refused addresses and `SyncFailure`: a dead letter, then
 *   `UnrecoverableError` (no retries);
 * - `AuthExpiredError` (the connector already refreshed once): the connection is flagged
 *   `error`, a dead letter, `UnrecoverableError`;
 * - anything else retries with exponential backoff and jitter; the last attempt leaves a dead letter.
 */
export async function runControlled<T>(rt: SyncRuntime, job: Job, token: string | undefined, spec: ControlledJob, work: (control: JobControl) => Promise<T>): Promise<T> {
  const queue = rt.queues.get(job.queueName as 'sync-out' | 'sync-in');
  const control: JobControl = {
    async gate(handle, cost = 1) {
      const wait = await rt.bucket.take(rt.bucket.keyOf(spec.db.tenantId, handle.conn._id), handle.bucket, cost);
      if (wait <= 0) return;
      if (token === undefined) throw new SyncFailure('rate_budget', 'the connection has no rate budget left and this run cannot wait');
      // A little jitter, so jobs that waited together do not come back together.
      await job.moveToDelayed(Date.now() + wait + Math.floor(Math.random() * Math.min(wait, 250)), token);
      throw new DelayedError();
    },
  };
  try {
    return await work(control);
  } catch (err) {
    if (isQueueControl(err)) throw err;
    if (err instanceof RateLimitedError) {
      const ms = err.retryAfterMs ?? rt.options.defaultRetryAfterMs;
      await rt.bucket.block(rt.bucket.keyOf(spec.db.tenantId, spec.connectionId), ms);
      await queue.rateLimit(Math.max(1, Math.min(ms, rt.options.maxQueuePauseMs)));
      throw Worker.RateLimitError();
    }
    const dead = deadLetterError(err);
    if (dead !== undefined) {
      if (err instanceof AuthExpiredError) await rt.handles.flagError(spec.db, spec.connectionId, err.message);
      await letter(rt, job, spec, dead);
      throw new UnrecoverableError(`${dead.code}: ${dead.message}`);
    }
    const error = err instanceof Error ? err : new Error(String(err));
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
      await letter(rt, job, spec, { code: 'retries_exhausted', name: error.name, message: error.message, ...statusOf(err) });
    }
    throw error;
  }
}

async function letter(rt: SyncRuntime, job: Job, spec: ControlledJob, error: LetterError): Promise<void> {
  const { deadLetterId: _previous, ...data } = job.data as Record<string, unknown>;
  await recordDeadLetter(spec.db, { ...spec.letter, jobName: job.name, ...(job.id === undefined ? {} : { jobId: job.id }), data, error }, rt.now());
  await spec.onDead?.(error);
  rt.logger.warn({ queue: job.queueName, jobId: job.id, connectionId: spec.connectionId, code: error.code, err: { name: error.name, message: error.message } }, 'sync job sent to dead letters');
}

/** The dead letter a failure deserves at once, or undefined when it may pass with a retry. */
export function deadLetterError(err: unknown): LetterError | undefined {
  if (err instanceof SyncFailure) return { code: err.code, name: err.name, message: err.message, ...err.details };
  if (err instanceof AuthExpiredError) return { code: 'auth_expired', name: err.name, message: err.message, ...statusOf(err) };
  if (err instanceof UnrecoverableVendorError) return { code: 'vendor_refused', name: err.name, message: err.message, status: err.status, body: err.body.slice(0, 2000) };
  if (err instanceof OutboundUrlRefusedError) return { code: 'refused_address', name: err.name, message: err.message };
  return undefined;
}

function statusOf(err: unknown): { status?: number } {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? { status } : {};
}
