import type { DomainContext } from '../../core/domain/index.ts';
import { conflictValue, markConflictResolved, syncConflictsCollection, type SyncConflictDoc } from '../../core/sync/index.ts';
import { hubPatch } from './apply-remote-record.ts';
import { HUB_OBJECTS } from './hub-objects.ts';
import type { ReplayDeps } from './replay-dead-letter.ts';
import { pushJobOptions, retryOptions, SYNC_IN_JOBS, SYNC_OUT_JOBS, type ApplyJobData, type PushJobData } from './sync-jobs.ts';

/** How a person settles a conflict: keep the hub's value, take the remote's, or set a value of their own. */
export type ConflictChoice = { take: 'hub' } | { take: 'remote' } | { take: 'value'; value: unknown };

export type ResolveResult =
  | { ok: true; conflict: SyncConflictDoc }
  | { ok: false; code: 'not_found' | 'not_open' | 'refused' | 'invalid'; message: string };

const DEFAULT_RETRY = { attempts: 8, backoffMs: 1000 };

/**
 * Settles an open conflict. The hub side changes through the domain services as `ctx.actor` (the
 * person resolving), so workflow, rules and audit apply; a refusal leaves the conflict open.
 * - `hub`: the hub keeps its value and pushes it to the remote (whatever the field's owner);
 * - `remote`: the hub takes the remote value (a status through a transition); the remote has it;
 * - `value`: the hub takes the given value and pushes it.
 * A refused creation taken from the remote is applied again; kept on the hub side it is dropped.
 */
export async function resolveSyncConflict(deps: ReplayDeps, ctx: DomainContext, id: string, choice: ConflictChoice): Promise<ResolveResult> {
  const db = ctx.db;
  const retry = deps.retry ?? DEFAULT_RETRY;
  const conflict = await db.collection(syncConflictsCollection).findById(id);
  if (conflict === null) return { ok: false, code: 'not_found', message: 'No such conflict' };
  if (conflict.status !== 'open') return { ok: false, code: 'not_open', message: `the conflict is ${conflict.status} already` };
  const by = ctx.actor.id;

  if (conflict.kind === 'create_refused' || conflict.hubId === undefined || conflict.field === undefined) {
    if (choice.take === 'value') return { ok: false, code: 'invalid', message: 'a refused creation can be taken from the remote again or dropped (take "hub"), not given a value' };
    if (choice.take === 'remote') {
      const job: ApplyJobData = { tenantId: db.tenantId, connectionId: conflict.connectionId, remoteObject: conflict.remoteObject, remoteId: conflict.remoteId, source: 'conflict', force: true, mappingId: conflict.mappingId };
      await deps.queues.get('sync-in').add(SYNC_IN_JOBS.apply, job, retryOptions(`conflict-${conflict._id}`, retry));
    }
    const done = await markConflictResolved(db, conflict, { take: choice.take, by, at: deps.now() });
    return done === null ? { ok: false, code: 'not_open', message: 'the conflict was resolved meanwhile' } : { ok: true, conflict: done };
  }

  const adapter = HUB_OBJECTS[conflict.hubObject];
  if (choice.take !== 'hub') {
    const value = choice.take === 'remote' ? conflictValue(conflict.remoteValue) : choice.value;
    if (conflict.field === 'status') {
      if (typeof value !== 'string' || adapter?.transition === undefined) return { ok: false, code: 'invalid', message: 'a status must be a state of the workflow' };
      const moved = await adapter.transition(ctx, conflict.hubId, value);
      if (!moved.ok) return { ok: false, code: moved.error.code === 'invalid' ? 'invalid' : 'refused', message: moved.error.message };
    } else {
      const current = await adapter?.read(db, conflict.hubId, { now: deps.now(), timeZone: ctx.timeZone ?? 'Asia/Kolkata' });
      if (!current || current.deleted || adapter?.update === undefined) return { ok: false, code: 'refused', message: `the hub ${conflict.hubObject} is gone or cannot be changed` };
      const { fields } = hubPatch(current.record, { [conflict.field]: value }, []);
      const changed = await adapter.update(ctx, conflict.hubId, fields);
      if (!changed.ok) return { ok: false, code: changed.error.code === 'invalid' ? 'invalid' : 'refused', message: changed.error.message };
    }
  }
  const done = await markConflictResolved(db, conflict, { take: choice.take, by, at: deps.now(), ...(choice.take === 'value' ? { value: choice.value } : {}) });
  if (done === null) return { ok: false, code: 'not_open', message: 'the conflict was resolved meanwhile' };
  if (choice.take !== 'remote') {
    const job: PushJobData = {
      tenantId: db.tenantId,
      connectionId: conflict.connectionId,
      mappingId: conflict.mappingId,
      hubObject: conflict.hubObject,
      hubId: conflict.hubId,
      cause: 'conflict',
      forceFields: [conflict.field],
    };
    await deps.queues.get('sync-out').add(SYNC_OUT_JOBS.push, job, pushJobOptions(`conflict-${conflict._id}`, job, retry));
  }
  return { ok: true, conflict: done };
}
