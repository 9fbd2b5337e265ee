import type { Job } from 'bullmq';
import { ESCALATION_MILESTONES_JOB, ESCALATION_SWEEP_JOB, runEscalationSweep } from '../escalations/index.ts';
import type { SweepMilestonesJobData } from '../escalations/index.ts';
import type { WorkerSpec } from '../start-workers.ts';
import type { WorkerContext } from './worker-context.ts';

/**
 * The `escalations` queue: `sweep` jobs (from the job scheduler) sweep every tenant;
 * `sweep-milestones` jobs sweep the milestones an event trigger just touched. Both on the
 * context's clock. One at a time, so a sweep never races another over the same escalation.
 */
export function escalationsWorker(ctx: WorkerContext): WorkerSpec {
  const deps = { store: ctx.store, queues: ctx.queues, now: ctx.now, publicUrl: ctx.publicUrl };
  return {
    concurrency: 1,
    async processor(job: Job) {
      if (job.name === ESCALATION_SWEEP_JOB) return runEscalationSweep(deps);
      if (job.name === ESCALATION_MILESTONES_JOB) {
        const data = job.data as SweepMilestonesJobData;
        return runEscalationSweep(deps, { tenantIds: [data.tenantId], milestoneIds: data.milestoneIds });
      }
      throw new Error(`unknown escalations job ${job.name}`);
    },
  };
}
