import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { QUEUE_NAMES, type QueueName } from './queue-names.ts';

/** Defaults every job gets unless its producer says otherwise. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  // Failed jobs stay inspectable (and replayable) for two weeks.
  removeOnFail: { age: 14 * 24 * 3600 },
};

export interface HubQueues {
  readonly prefix: string;
  get(name: QueueName): Queue;
  all(): Queue[];
  close(): Promise<void>;
}

/** Opens every hub queue on one connection under `prefix`. */
export function createQueues(options: { connection: ConnectionOptions; prefix: string }): HubQueues {
  const queues = new Map<QueueName, Queue>();
  for (const name of QUEUE_NAMES) {
    queues.set(name, new Queue(name, { connection: options.connection, prefix: options.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }));
  }
  return {
    prefix: options.prefix,
    get(name) {
      const q = queues.get(name);
      if (!q) throw new Error(`unknown queue ${name}`);
      return q;
    },
    all: () => [...queues.values()],
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
