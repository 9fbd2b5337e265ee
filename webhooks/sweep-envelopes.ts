import { webhookRoutesCollection } from '../core/connections/index.ts';
import type { Store } from '../core/store/index.ts';
import type { HubQueues } from '../queues/index.ts';
import { createEnvelopeEnqueuer } from './enqueue-envelope.ts';
import { webhookEnvelopesCollection, type WebhookEnvelopeDoc } from './webhook-envelope.ts';

export interface SweepOptions {
  store: Store;
  queues: HubQueues;
  now?: () => Date;
  /** A `received` envelope is looked at once it is this old. @default 60 */
  olderThanSeconds?: number;
  /** After one look, the next one comes this much later (a long backlog is not re-read every sweep). @default 900 */
  revisitAfterSeconds?: number;
  /** Most envelopes looked at per tenant per sweep. @default 500 */
  limit?: number;
}

export interface SweepResult {
  /** Envelopes whose job was missing and was added. */
  enqueued: number;
  /** Envelopes whose job had finished without settling them, and was retried. */
  retried: number;
  /** Envelopes the queue refused; the next sweep tries them again. */
  failed: number;
}

/**
 * Finds `received` envelopes that no job will settle: their enqueue failed or timed out after
 * they were stored, their job was lost with Redis data, or BullMQ ended it (stalled too often)
 * without the envelope settling. Adds the missing jobs under the same job id and retries ended
 * ones; envelopes whose job is still waiting or running are left alone.
 */
export async function sweepEnvelopes(options: SweepOptions): Promise<SweepResult> {
  const { store, queues, now = () => new Date(), olderThanSeconds = 60, revisitAfterSeconds = 900, limit = 500 } = options;
  const at = now();
  const receivedBefore = new Date(at.getTime() - olderThanSeconds * 1000);
  const sweptBefore = new Date(at.getTime() - revisitAfterSeconds * 1000);
  const queue = queues.get('webhooks');
  const enqueue = createEnvelopeEnqueuer(queues);
  const result: SweepResult = { enqueued: 0, retried: 0, failed: 0 };

  // Only tenants with a webhook route can hold envelopes; each is read inside its own scope.
  const routes = await store.platform(webhookRoutesCollection).find({}, { projection: { tenant: 1 } });
  for (const tenantId of new Set(routes.map((r) => r.tenant))) {
    const envelopes = store.forTenant(tenantId).collection(webhookEnvelopesCollection);
    const due: WebhookEnvelopeDoc[] = await envelopes.find(
      { pendingSinceMs: { $lt: receivedBefore.getTime() }, status: 'received', $or: [{ sweptAt: { $exists: false } }, { sweptAt: { $lt: sweptBefore } }] },
      { sort: { pendingSinceMs: 1 }, limit, projection: { body: 0, headers: 0 } },
    );
    for (const envelope of due) {
      const job = await queue.getJob(envelope.jobId);
      if (!job) {
        const queued = await enqueue({ tenantId, envelopeId: envelope._id, jobId: envelope.jobId });
        if (!queued.ok) {
          result.failed += 1;
          continue;
        }
        result.enqueued += 1;
      } else {
        const state = await job.getState();
        if (state === 'failed' || state === 'completed') {
          await job.retry(state);
          result.retried += 1;
        }
      }
      await envelopes.updateOne({ _id: envelope._id, jobId: envelope.jobId }, { $set: { sweptAt: at } });
    }
  }
  return result;
}
