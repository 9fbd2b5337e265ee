import { diffSpecs, mappingSpecSchema } from '../../mappings/index.ts';
import { getMappingVersion, loadMapping, mappingsCollection, type MappingEvent } from '../../core/mapping-store/index.ts';
import { linkedRecordsOfMapping } from '../../core/sync/index.ts';
import { pushJobOptions, retryOptions, SYNC_IN_JOBS, SYNC_OUT_JOBS, type PushJobData, type ResyncJobData } from './sync-jobs.ts';
import type { SyncRuntime } from './sync-runtime.ts';

/**
 * Moves `mapping.activated` / `mapping.deleted` events out of mapping documents (their outbox)
 * into `resync` jobs (job id `resync-<event id>`), and asks for the polling schedulers to be
 * reconciled, then removes the events: re-sent after a crash, never lost. Mapping documents are
 * not in the domain outbox relay: their events carry no tenant, which this relay reads from the document.
 */
export async function relayMappingEvents(rt: SyncRuntime, { batchSize = 200 }: { batchSize?: number } = {}): Promise<{ events: number }> {
  const col = rt.store.maintenance(mappingsCollection);
  let events = 0;
  for (;;) {
    const docs = await col.find({ 'outbox.0': { $exists: true } }, { limit: batchSize, projection: { _id: 1, tenantId: 1, outbox: 1 } });
    let moved = 0;
    for (const doc of docs) {
      const pending: MappingEvent[] = doc.outbox ?? [];
      if (pending.length === 0 || doc.tenantId === undefined) continue;
      moved += 1;
      const retry = { attempts: rt.options.attempts, backoffMs: rt.options.backoffMs };
      await rt.queues.get('sync-out').addBulk(
        pending.map((e) => {
          const data: ResyncJobData = {
            tenantId: doc.tenantId!,
            mappingId: e.mappingId,
            connectionId: e.connectionId,
            eventId: e.id,
            eventType: e.type,
            ...(e.fromVersion === undefined ? {} : { fromVersion: e.fromVersion }),
            ...(e.toVersion === undefined ? {} : { toVersion: e.toVersion }),
          };
          return { name: SYNC_OUT_JOBS.resync, data, opts: retryOptions(`resync-${e.id}`, retry) };
        }),
      );
      await rt.queues.get('sync-in').add(SYNC_IN_JOBS.schedulePolls, {}, { jobId: `schedule-${pending[0]!.id}`, attempts: 3, removeOnComplete: true, removeOnFail: 100 });
      await col.updateOne({ _id: doc._id }, { $pull: { outbox: { id: { $in: pending.map((e) => e.id) } } } });
      events += pending.length;
    }
    // A full page of documents none of which could move would come back unchanged: stop.
    if (docs.length < batchSize || moved === 0) break;
  }
  return { events };
}

/**
 * A targeted resync after an activation: `diffSpecs(previous, active)` says which hub fields the
 * change affects; only records linked through this mapping are queued, each asked to consider only
 * those fields (and to send them only where the mapped value now differs from what the remote
 * holds). A change that can alter every record (objects, direction, match, filter) considers every
 * field; a cosmetic one (name, delete policy) queues nothing; a first version has nothing linked yet.
 */
export async function resyncAfterActivation(rt: SyncRuntime, data: ResyncJobData): Promise<{ queued: number; fields?: string[]; all?: boolean }> {
  if (data.eventType !== 'mapping.activated' || data.fromVersion === undefined || data.toVersion === undefined) return { queued: 0 };
  const db = rt.store.forTenant(data.tenantId);
  const mapping = await loadMapping(db, data.mappingId);
  // A later activation supersedes this one and brings its own resync.
  if (mapping === null || mapping.activeVersion !== data.toVersion || mapping.direction === 'in') return { queued: 0 };
  const [before, after] = await Promise.all([getMappingVersion(db, data.mappingId, data.fromVersion), getMappingVersion(db, data.mappingId, data.toVersion)]);
  if (before === null || after === null) return { queued: 0 };
  const diff = diffSpecs(mappingSpecSchema.parse(JSON.parse(before.spec)), mappingSpecSchema.parse(JSON.parse(after.spec)));
  if (!diff.resyncAll && diff.affectedHubFields.length === 0) return { queued: 0, fields: [] };
  const runId = `run-resync-${data.eventId}`;
  const retry = { attempts: rt.options.attempts, backoffMs: rt.options.backoffMs };
  let queued = 0;
  let after_: string | undefined;
  for (;;) {
    const links = await linkedRecordsOfMapping(db, data.mappingId, { ...(after_ === undefined ? {} : { after: after_ }), limit: 500 });
    if (links.length === 0) break;
    await rt.queues.get('sync-out').addBulk(
      links.map((link) => {
        const job: PushJobData = {
          tenantId: data.tenantId,
          connectionId: link.connectionId,
          mappingId: link.mappingId,
          hubObject: link.hubObject,
          hubId: link.hubId,
          cause: 'resync',
          eventId: data.eventId,
          runId,
          ...(diff.resyncAll ? {} : { onlyFields: diff.affectedHubFields }),
        };
        return { name: SYNC_OUT_JOBS.push, data: job, opts: pushJobOptions(`rs-${data.eventId}-${link._id}`, job, retry) };
      }),
    );
    queued += links.length;
    after_ = links[links.length - 1]!._id;
  }
  return { queued, ...(diff.resyncAll ? { all: true } : { fields: diff.affectedHubFields }) };
}
