import type { RemoteRecord, WebhookChange } from '../../connectors/index.ts';
import { mappingsCollection } from '../../core/mapping-store/index.ts';
import type { InboundWebhookHandler } from '../../webhooks/index.ts';
import { retryOptions, SYNC_IN_JOBS, type ApplyJobData } from './sync-jobs.ts';
import type { SyncRuntime } from './sync-runtime.ts';

/** The record a change carries, in the shape pulls return (version and update time when the connector gave them). */
export function recordOfChange(change: WebhookChange): RemoteRecord | undefined {
  if (change.id === undefined || change.record === undefined) return undefined;
  const extra = change as WebhookChange & { version?: unknown; updatedAt?: unknown };
  return {
    id: change.id,
    ...(typeof extra.version === 'string' ? { version: extra.version } : {}),
    ...(typeof extra.updatedAt === 'string' ? { updatedAt: extra.updatedAt } : {}),
    ...(change.deleted === true ? { deleted: true } : {}),
    data: change.record,
  };
}

/**
 * The inbound half of sync for webhooks: each change about a record of a remote object that an
 * active `in`/`both` mapping of the connection reads becomes an `apply` job on `sync-in`, the
 * same path polled records take. The job id is `in-<envelope id>-<n>`: the envelope id is the
 * processed-key, so a re-run of the envelope adds nothing new. Changes without data (Intuit's)
 * are read with the connector's `get` when the job runs.
 */
export function createSyncWebhookHandler(rt: SyncRuntime): InboundWebhookHandler {
  return {
    name: 'sync',
    async handle(event, { db }) {
      const mapped = await db
        .collection(mappingsCollection)
        .find({ connectionId: event.connectionId, status: 'active', activeVersion: { $ne: null }, direction: { $in: ['in', 'both'] } }, { projection: { remoteObject: 1 } });
      const objects = new Set(mapped.map((m) => m.remoteObject));
      const jobs = event.changes.flatMap((change, index) => {
        if (change.object === undefined || change.id === undefined || !objects.has(change.object)) return [];
        const record = recordOfChange(change);
        const data: ApplyJobData = {
          tenantId: event.tenantId,
          connectionId: event.connectionId,
          remoteObject: change.object,
          remoteId: change.id,
          source: 'webhook',
          eventKey: event.eventKey,
          ...(record === undefined ? {} : { record }),
        };
        return [{ name: SYNC_IN_JOBS.apply, data, opts: retryOptions(`in-${event.envelopeId}-${index}`, { attempts: rt.options.attempts, backoffMs: rt.options.backoffMs }) }];
      });
      if (jobs.length === 0) return { status: 'ignored', reason: objects.size === 0 ? 'no in/both mapping on this connection' : 'no change about a mapped object' };
      await rt.queues.get('sync-in').addBulk(jobs);
      return { status: 'processed' };
    },
  };
}
