import type { HubQueues } from '../create-queues.ts';

/** The scheduled job on the `escalations` queue that sweeps every tenant. */
export const ESCALATION_SWEEP_JOB = 'sweep';
/** A sweep of some milestones of one tenant, right after an event trigger fired. */
export const ESCALATION_MILESTONES_JOB = 'sweep-milestones';
/** The job scheduler id of the escalation sweep. */
export const ESCALATION_SWEEP_SCHEDULER_ID = 'escalations-sweep';

/** What a {@link ESCALATION_MILESTONES_JOB} carries. */
export interface SweepMilestonesJobData {
  tenantId: string;
  milestoneIds: string[];
}

/** Upserts the escalation sweep's job scheduler (at start). @default every minute */
export async function scheduleEscalationSweep(queues: Pick<HubQueues, 'get'>, { everyMs = 60_000 }: { everyMs?: number } = {}): Promise<void> {
  if (!Number.isInteger(everyMs) || everyMs < 100) throw new TypeError('everyMs must be a whole number of milliseconds, at least 100');
  await queues
    .get('escalations')
    .upsertJobScheduler(ESCALATION_SWEEP_SCHEDULER_ID, { every: everyMs }, { name: ESCALATION_SWEEP_JOB, data: {}, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } });
}
