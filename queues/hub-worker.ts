import { Worker, type Processor, type WorkerOptions } from 'bullmq';

type RetryOptions = { delayInMs?: number; maxRetries?: number; onlyEmitError?: boolean };
type Retrying = { retryIfFailed: (fn: () => Promise<unknown>, opts: RetryOptions) => Promise<unknown>; closing?: Promise<void> | null; closed?: boolean };

/** Thrown in place of a connection error once the worker is closing, so BullMQ stops retrying. */
export class WorkerClosingError extends Error {
  override readonly name = 'WorkerClosingError';
}

/**
 * BullMQ 5 retries a connection error forever, and without its delay once the worker is closing:
 * a worker closed while it schedules a job scheduler's next run over a connection that is gone
 * (Redis down during shutdown, or a forced close) spins at full CPU and never finishes closing.
 * This turns such an error into an ordinary one while closing, which BullMQ gives up on, as its
 * next major release does. Idempotent.
 */
export function stopRetriesWhenClosing<W extends Worker>(worker: W): W {
  const w = worker as unknown as Retrying & { __closingGuard?: true };
  if (w.__closingGuard === true || typeof w.retryIfFailed !== 'function') return worker;
  const retry = w.retryIfFailed.bind(worker);
  w.retryIfFailed = (fn, opts) =>
    retry(async () => {
      try {
        return await fn();
      } catch (err) {
        if (w.closing || w.closed === true) throw new WorkerClosingError(`worker closing: ${(err as Error).message}`);
        throw err;
      }
    }, opts);
  w.__closingGuard = true;
  return worker;
}

/** A BullMQ worker with {@link stopRetriesWhenClosing} applied. */
export function createWorker(name: string, processor: Processor, options: WorkerOptions): Worker {
  return stopRetriesWhenClosing(new Worker(name, processor, options));
}
