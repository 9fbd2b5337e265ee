import type { HubQueues } from '../queues/index.ts';
import { SWEEP_JOB } from './envelope-job.ts';

/** The job scheduler id of the envelope sweep. */
export const SWEEP_SCHEDULER_ID = 'webhooks-sweep';

/** Upserts the job scheduler that runs the envelope sweep on the `webhooks` queue. Call at start. */
export async function scheduleEnvelopeSweep(queues: HubQueues, { everyMs = 30_000 }: { everyMs?: number } = {}): Promise<void> {
  if (!Number.isInteger(everyMs) || everyMs < 1000) throw new TypeError('everyMs must be a whole number of milliseconds, at least 1000');
  await queues.get('webhooks').upsertJobScheduler(
    SWEEP_SCHEDULER_ID,
    { every: everyMs },
    { name: SWEEP_JOB, data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
  );
}
