import { connectionsCollection } from '../../core/connections/index.ts';
import { mappingsCollection } from '../../core/mapping-store/index.ts';
import { pollSchedulerId, SYNC_IN_JOBS, SYNC_OUT_JOBS, type PollJobData } from './sync-jobs.ts';
import type { SyncRuntime } from './sync-runtime.ts';

/** The scheduler that reconciles the polling schedulers with the mappings. */
export const SCHEDULE_POLLS_SCHEDULER_ID = 'sync-schedule-polls';
/** The scheduler that relays mapping activations. */
export const MAPPING_EVENTS_SCHEDULER_ID = 'sync-mapping-events';

/**
 * Makes the polling job schedulers match the mappings: one `poll` scheduler per tenant,
 * connection and remote object with an active `in`/`both` mapping on an active connection whose
 * connector pulls; schedulers of anything else are removed. Runs at start, every minute and after
 * each mapping change. Reads across tenants (maintenance access), as the scheduler set is global.
 */
export async function reconcilePollingSchedulers(rt: SyncRuntime): Promise<{ scheduled: number; removed: number }> {
  const mappings = await rt.store
    .maintenance(mappingsCollection)
    .find({ status: 'active', activeVersion: { $ne: null }, direction: { $in: ['in', 'both'] } }, { projection: { _id: 1, tenantId: 1, connectionId: 1, remoteObject: 1 } });
  const connectionIds = [...new Set(mappings.map((m) => m.connectionId))];
  const connections = connectionIds.length === 0 ? [] : await rt.store.maintenance(connectionsCollection).find({ _id: { $in: connectionIds }, status: 'active' }, { projection: { _id: 1, tenantId: 1, connector: 1 } });
  const pulls = new Map(connections.filter((c) => rt.connectors.get(c.connector)?.pull !== undefined).map((c) => [`${c.tenantId}/${c._id}`, c]));
  const wanted = new Map<string, PollJobData>();
  for (const m of mappings) {
    if (m.tenantId === undefined || !pulls.has(`${m.tenantId}/${m.connectionId}`)) continue;
    wanted.set(pollSchedulerId(m.tenantId, m.connectionId, m.remoteObject), { tenantId: m.tenantId, connectionId: m.connectionId, remoteObject: m.remoteObject });
  }
  const queue = rt.queues.get('sync-in');
  const existing = await queue.getJobSchedulers(0, -1);
  let removed = 0;
  for (const s of existing) {
    const id = s.id ?? s.key;
    if (id.startsWith('poll-') && !wanted.has(id)) {
      await queue.removeJobScheduler(id);
      removed += 1;
    }
  }
  const present = new Map(existing.map((s) => [s.id ?? s.key, s]));
  let scheduled = 0;
  for (const [id, data] of wanted) {
    if (present.get(id)?.every === rt.options.pollEveryMs) continue;
    await queue.upsertJobScheduler(id, { every: rt.options.pollEveryMs }, { name: SYNC_IN_JOBS.poll, data, opts: { attempts: 3, backoff: { type: 'exponential', delay: rt.options.backoffMs, jitter: 0.5 }, removeOnComplete: 100, removeOnFail: 100 } });
    scheduled += 1;
  }
  return { scheduled, removed };
}

/** Upserts the engine's own schedulers (mapping events, scheduler reconciliation) and reconciles polling once. Call at start. */
export async function scheduleSync(rt: SyncRuntime): Promise<void> {
  await rt.queues
    .get('sync-out')
    .upsertJobScheduler(MAPPING_EVENTS_SCHEDULER_ID, { every: rt.options.mappingEventsEveryMs }, { name: SYNC_OUT_JOBS.mappingEvents, data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } });
  await rt.queues
    .get('sync-in')
    .upsertJobScheduler(SCHEDULE_POLLS_SCHEDULER_ID, { every: rt.options.scheduleEveryMs }, { name: SYNC_IN_JOBS.schedulePolls, data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } });
  await reconcilePollingSchedulers(rt);
}
