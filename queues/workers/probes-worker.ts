import type { Job } from 'bullmq';
import { PROBE_SWEEP_JOB, sweepProbes } from '../probes/index.ts';
import type { WorkerSpec } from '../start-workers.ts';
import type { WorkerContext } from './worker-context.ts';

/**
 * The `probes` queue: `sweep` jobs (from the job scheduler) send the probes that are due, on the
 * context's clock. One at a time: two sweeps at once would only race for the same slots.
 */
export function probesWorker(ctx: WorkerContext): WorkerSpec {
  const deps = { store: ctx.store, queues: ctx.queues, now: ctx.now };
  return {
    concurrency: 1,
    async processor(job: Job) {
      if (job.name === PROBE_SWEEP_JOB) return sweepProbes(deps);
      throw new Error(`unknown probes job ${job.name}`);
    },
  };
}
