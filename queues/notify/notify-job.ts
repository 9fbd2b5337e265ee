import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { HubQueues } from '../create-queues.ts';

/** The `notify` job that sends one notification; its id is the notification id. */
export const SEND_JOB = 'send';
/** The scheduled job that releases due deferred notifications and re-enqueues lost ones. */
export const SWEEP_JOB = 'sweep';
export const NOTIFY_SWEEP_SCHEDULER_ID = 'notify-sweep';

/** What a `send` job carries: only references; everything else is read from the store. */
export interface SendJobData {
  tenantId: string;
  notificationId: string;
}

/**
 * The notification id for a business key: the same key in the same tenant always maps to the
 * same id, so the document insert and the job both dedupe on it.
 */
export function notificationIdOf(tenantId: string, dedupeKey: string): string {
  return `ntf_${createHash('sha256').update(`${tenantId}\u0000${dedupeKey}`).digest('hex').slice(0, 32)}`;
}

// The worker handles its own retries (per the tenant's retry policy); BullMQ's attempts only cover crashes.
const SEND_OPTIONS: JobsOptions = { attempts: 5, backoff: { type: 'exponential', delay: 2000, jitter: 0.5 } };

/** Adds the send job; a job with the same id already waiting or delayed makes this a no-op. */
export async function enqueueSend(queues: Pick<HubQueues, 'get'>, data: SendJobData, delayMs = 0): Promise<void> {
  await queues.get('notify').add(SEND_JOB, data, { ...SEND_OPTIONS, jobId: data.notificationId, ...(delayMs > 0 ? { delay: delayMs } : {}) });
}

/** Upserts the sweep's job scheduler (at start-up). */
export async function scheduleNotifySweep(queues: Pick<HubQueues, 'get'>, { everyMs = 60_000 }: { everyMs?: number } = {}): Promise<void> {
  await queues.get('notify').upsertJobScheduler(NOTIFY_SWEEP_SCHEDULER_ID, { every: everyMs }, { name: SWEEP_JOB, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } });
}
