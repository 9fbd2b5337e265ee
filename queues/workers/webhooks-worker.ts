import { UnrecoverableError, type Job } from 'bullmq';
import { createEnvelopeProcessor, SWEEP_JOB, sweepEnvelopes, type EnvelopeJobData } from '../../webhooks/index.ts';
import type { WorkerSpec } from '../start-workers.ts';
import type { WorkerContext } from './worker-context.ts';

/**
 * The `webhooks` queue: `envelope` jobs process one stored webhook; `sweep` jobs (from the job
 * scheduler) re-enqueue envelopes whose enqueue was lost.
 */
export function webhooksWorker(ctx: WorkerContext): WorkerSpec {
  const processEnvelope = createEnvelopeProcessor({
    store: ctx.store,
    handlers: ctx.webhookHandlers ?? [],
    logger: ctx.logger,
    now: ctx.now,
  });
  return {
    concurrency: 8,
    async processor(job: Job) {
      if (job.name === SWEEP_JOB) return sweepEnvelopes({ store: ctx.store, queues: ctx.queues, now: ctx.now });
      const result = await processEnvelope({
        data: job.data as EnvelopeJobData,
        jobId: job.id,
        finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      });
      if (result.kind === 'retry') throw result.error;
      // Already settled as failed: retrying would not change the outcome, replay will.
      if (result.kind === 'failed') throw new UnrecoverableError(result.error.message);
      return result;
    },
  };
}
