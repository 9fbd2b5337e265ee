import type { Worker } from 'bullmq';
import { createWorker, type WorkerSpec } from '../../queues/index.ts';

/**
 * A hub worker for one queue as tests run it: on the local Redis under the test's `prefix`, with
 * quick stall checks, and its errors left to the test's own assertions.
 */
export function testWorker(name: string, spec: WorkerSpec, prefix: string, { lockDuration = 10_000 }: { lockDuration?: number } = {}): Worker {
  const w = createWorker(name, spec.processor, {
    connection: { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null },
    prefix,
    concurrency: spec.concurrency ?? 4,
    stalledInterval: 500,
    lockDuration,
  });
  w.on('error', () => undefined);
  return w;
}
