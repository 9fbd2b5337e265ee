import type { DomainEvent } from '../../core/domain/index.ts';
import { mappingsCollection } from '../../core/mapping-store/index.ts';
import type { DomainEventHook } from '../domain-event-hook.ts';
import { pushJobOptions, SYNC_OUT_JOBS, type PushJobData } from './sync-jobs.ts';
import type { SyncRuntime } from './sync-runtime.ts';

// Events that change what a record maps to. Others (milestone.started, verification.*) come with one of these.
const CHANGES = /^(milestone|project|invoice|payment)\.(created|updated|transitioned|deleted|workflow_migrated|archived|restored|issued|sent|paid|cancelled|captured|amended)$/;

/** The hub record a domain event is about, when sync follows it. */
export function hubTargetOf(event: Pick<DomainEvent, 'type' | 'aggregate'> & { data?: Record<string, unknown> }): { hubObject: string; hubId: string } | undefined {
  const match = CHANGES.exec(event.type);
  if (match === null) return undefined;
  const hubObject = match[1]!;
  if (event.aggregate?.type === hubObject) return { hubObject, hubId: event.aggregate.id };
  const id = event.data?.[`${hubObject}Id`] ?? event.data?.id;
  return typeof id === 'string' && id !== '' ? { hubObject, hubId: id } : undefined;
}

/**
 * The outbound half of sync as a domain event follower: each change of a milestone, project,
 * invoice or payment becomes one `push` job per active `out`/`both` mapping of that object. The
 * job id is `out-<event id>-<mapping id>` (a relayed event added twice is one job) and pushes of
 * one record coalesce (see `pushDedupId`): a burst of edits to one milestone becomes one or two
 * writes carrying the latest state, never a queue of stale ones.
 */
export function createSyncOutHook(rt: SyncRuntime): DomainEventHook {
  return async function syncOut(event) {
    const target = hubTargetOf(event);
    if (target === undefined || typeof event.tenantId !== 'string') return;
    const db = rt.store.forTenant(event.tenantId);
    const mappings = await db
      .collection(mappingsCollection)
      .find({ status: 'active', activeVersion: { $ne: null }, hubObject: target.hubObject, direction: { $in: ['out', 'both'] } }, { projection: { _id: 1, connectionId: 1 } });
    if (mappings.length === 0) return;
    const retry = { attempts: rt.options.attempts, backoffMs: rt.options.backoffMs };
    await rt.queues.get('sync-out').addBulk(
      mappings.map((m) => {
        const data: PushJobData = { tenantId: event.tenantId, connectionId: m.connectionId, mappingId: m._id, ...target, cause: 'event', eventId: event.id };
        return { name: SYNC_OUT_JOBS.push, data, opts: pushJobOptions(`out-${event.id}-${m._id}`, data, retry) };
      }),
    );
  };
}
