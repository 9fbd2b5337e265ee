import { VersionConflictError, type TenantStore } from '../core/store/index.ts';
import type { HubQueues } from '../queues/index.ts';
import { envelopeJobId } from './envelope-job.ts';
import { createEnvelopeEnqueuer } from './enqueue-envelope.ts';
import { webhookEnvelopesCollection, type WebhookEnvelopeDoc } from './webhook-envelope.ts';

export type ReplayResult =
  | {
      ok: true;
      envelope: WebhookEnvelopeDoc;
      /** False when the queue could not take the job; the envelope is `received` and the sweeper queues it. */
      queued: boolean;
    }
  | { ok: false; error: 'not_found' };

/**
 * Sends a stored envelope through processing again: back to `received` under a new job id
 * (`<id>-r<n>`), since BullMQ would ignore the id of a job it still remembers.
 */
export async function replayEnvelope(
  deps: { db: TenantStore; queues: HubQueues | undefined; now: () => Date; enqueueTimeoutMs?: number },
  envelopeId: string,
): Promise<ReplayResult> {
  const envelopes = deps.db.collection(webhookEnvelopesCollection);
  for (let attempt = 0; ; attempt += 1) {
    const current = await envelopes.findOne({ _id: envelopeId }, { projection: { body: 0, headers: 0 } });
    if (!current) return { ok: false, error: 'not_found' };
    const replayCount = current.replayCount + 1;
    let replayed: WebhookEnvelopeDoc | null;
    try {
      replayed = await envelopes.updateOne(
        { _id: current._id },
        {
          $set: {
            status: 'received',
            pendingSinceMs: current.receivedAt.getTime(),
            jobId: envelopeJobId(current._id, replayCount),
            replayCount,
            lastReplayedAt: deps.now(),
          },
          $unset: { sweptAt: true, settledAt: true, outcome: true, error: true, expiresAt: true, runId: true },
        },
        { expectedVersion: current.version },
      );
    } catch (err) {
      // Two replays at once would both pick the same job id; the loser reads again.
      if (err instanceof VersionConflictError && attempt < 4) continue;
      throw err;
    }
    if (!replayed) return { ok: false, error: 'not_found' };
    const tenantId = deps.db.tenantId;
    const enqueue = createEnvelopeEnqueuer(deps.queues, deps.enqueueTimeoutMs === undefined ? {} : { timeoutMs: deps.enqueueTimeoutMs });
    const queued = await enqueue({ tenantId, envelopeId: replayed._id, jobId: replayed.jobId });
    return { ok: true, envelope: replayed, queued: queued.ok };
  }
}
