import { DelayedError, type Job } from 'bullmq';
import { createOutboundHttp } from '../../connectors/index.ts';
import { createChannelConnections, createNotifier, sendersOf, SWEEP_JOB, type SendJobData } from '../notify/index.ts';
import type { WorkerSpec } from '../start-workers.ts';
import type { WorkerContext } from './worker-context.ts';

/**
 * The `notify` queue: `send` jobs deliver one notification (their id is the notification id);
 * `sweep` jobs (from the job scheduler) release notifications that fell due and re-enqueue lost
 * ones. A notification that must wait (quiet hours, a retry backoff) keeps its job, delayed.
 */
export function notifyWorker(ctx: WorkerContext): WorkerSpec {
  const notifier = createNotifier({
    store: ctx.store,
    queues: ctx.queues,
    logger: ctx.logger,
    now: ctx.now,
    connections: createChannelConnections({
      vault: ctx.vault,
      connectors: sendersOf(ctx.connectors, ctx.notify?.whatsappWebSends),
      outbound: createOutboundHttp({ allowPrivate: ctx.allowPrivateUrls }),
      logger: ctx.logger,
      now: ctx.now,
    }),
  });
  return {
    concurrency: ctx.notify?.concurrency ?? 32,
    async processor(job: Job, token?: string) {
      if (job.name === SWEEP_JOB) return notifier.sweep();
      const data = job.data as SendJobData;
      const run = await notifier.deliver(data.tenantId, data.notificationId);
      if (run.kind === 'wait') {
        // Waits are measured on the hub's clock; the sweep releases the job early when that clock says so.
        const delay = Math.max(run.until.getTime() - ctx.now().getTime(), 1000);
        await job.moveToDelayed(Date.now() + delay, token);
        throw new DelayedError();
      }
      return run;
    },
  };
}
