import type { ConnectionOptions, Processor, Worker } from 'bullmq';
import { createWorker } from './hub-worker.ts';
import type { QueueName } from './queue-names.ts';

export interface WorkerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WorkerSpec {
  processor: Processor;
  /** @default 4 */
  concurrency?: number;
}

export interface RunningWorkers {
  workers: Worker[];
  /** Stops taking jobs and waits for the active ones to finish. */
  close(): Promise<void>;
}

/** Starts one BullMQ worker per queue that has a processor. */
export function startWorkers(options: {
  connection: ConnectionOptions;
  prefix: string;
  specs: Partial<Record<QueueName, WorkerSpec>>;
  logger: WorkerLogger;
}): RunningWorkers {
  const workers: Worker[] = [];
  for (const [name, spec] of Object.entries(options.specs) as [QueueName, WorkerSpec][]) {
    const worker = createWorker(name, spec.processor, {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: spec.concurrency ?? 4,
    });
    worker.on('failed', (job, err) => {
      options.logger.warn({ queue: name, jobId: job?.id, attempts: job?.attemptsMade, err: { name: err.name, message: err.message } }, 'job failed');
    });
    worker.on('error', (err) => options.logger.error({ queue: name, err: { name: err.name, message: err.message } }, 'worker error'));
    workers.push(worker);
  }
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
