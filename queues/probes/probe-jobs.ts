import type { HubQueues } from '../create-queues.ts';

/** The scheduled job on the `probes` queue that sends due probes. */
export const PROBE_SWEEP_JOB = 'sweep';
/** The job scheduler id of the probe sweep. */
export const PROBE_SWEEP_SCHEDULER_ID = 'probes-sweep';

/** Upserts the probe sweep's job scheduler (at start). @default every minute */
export async function scheduleProbeSweep(queues: Pick<HubQueues, 'get'>, { everyMs = 60_000 }: { everyMs?: number } = {}): Promise<void> {
  if (!Number.isInteger(everyMs) || everyMs < 100) throw new TypeError('everyMs must be a whole number of milliseconds, at least 100');
  await queues.get('probes').upsertJobScheduler(PROBE_SWEEP_SCHEDULER_ID, { every: everyMs }, { name: PROBE_SWEEP_JOB, data: {}, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } });
}
