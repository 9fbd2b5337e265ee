import type { Job } from 'bullmq';
import type { PushOp, PushRequest, PushResult } from '../../connectors/index.ts';
import {
  findLinkByHub,
  resolveDeadLetter,
  deadLetterKey,
  saveLink,
  toStoredValues,
  windowRun,
  type LinkIdentity,
  type RunRef,
  type SyncLinkDoc,
  type SyncOutcome,
} from '../../core/sync/index.ts';
import { linkSnapshot } from '../../mappings/index.ts';
import { loadActiveSpec } from './active-mapping.ts';
import type { ConnectionHandle } from './connection-handles.ts';
import { fieldStates, hashOfFieldHashes, type FieldState } from './field-states.ts';
import { pickPaths } from './field-paths.ts';
import { runControlled, type JobControl } from './job-control.ts';
import { SyncFailure } from './sync-failure.ts';
import type { PushJobData } from './sync-jobs.ts';
import type { SyncRuntime } from './sync-runtime.ts';

/** What a push did. */
export interface PushOutcome {
  outcome: SyncOutcome;
  reason?: string;
  op?: PushOp | 'close';
  remoteId?: string;
}

// Connectors whose delete can close instead (`data.deleteMode: 'close'`): Jira moves the issue to done.
const CLOSES = new Set(['jira']);

/**
 * Processes one `push` job: reads the hub record as it is now, maps it with the mapping's
 * CURRENT active version, and creates, updates, deletes or closes the remote record.
 *
 * - A record without a remote twin is created with the idempotency key
 *   `mh-<mappingId>-<hubId>-c<generation>`: if the vendor created it but the process died before
 *   the link was written, the retry's create finds it (Jira label and property, Salesforce
 *   external id, QuickBooks requestid) instead of creating a second one.
 * - A linked record sends only the fields whose mapped value differs from what the link says the
 *   remote holds (per-field hashes): nothing when nothing differs (the echo of an inbound change,
 *   or a no-op edit). Fields owned by the remote and fields with an open conflict are not sent.
 * - A deleted hub record follows the spec's `deletePolicy`.
 */
export async function pushHubRecord(rt: SyncRuntime, job: Job, token: string | undefined): Promise<PushOutcome> {
  const data = job.data as PushJobData;
  const db = rt.store.forTenant(data.tenantId);
  const run: RunRef = data.runId !== undefined ? { id: data.runId, kind: 'resync', connectionId: data.connectionId, mappingId: data.mappingId, startedAt: rt.now() } : windowRun('outbound', data.connectionId, rt.now(), rt.options.runWindowMs);
  const ident: LinkIdentity = { connectionId: data.connectionId, mappingId: data.mappingId, hubObject: data.hubObject, hubId: data.hubId, remoteObject: '' };
  const count = (outcome: SyncOutcome) => rt.runs.count(data.tenantId, run, outcome);
  const letterKey = deadLetterKey({ direction: 'out', connectionId: data.connectionId, mappingId: data.mappingId, hubId: data.hubId });

  const result = await runControlled(
    rt,
    job,
    token,
    {
      db,
      connectionId: data.connectionId,
      letter: { direction: 'out', queue: 'sync-out', connectionId: data.connectionId, mappingId: data.mappingId, hubObject: data.hubObject, hubId: data.hubId },
      async onDead(error) {
        count('failed');
        if (ident.remoteObject === '') return;
        await saveLink(db, ident, { status: 'failed', lastError: { code: error.code, message: error.message, at: rt.now(), ...(error.status === undefined ? {} : { status: error.status }) } });
      },
    },
    async (control) => {
      const handle = await rt.handles.get(db, data.connectionId);
      if (!handle.ok) {
        if (handle.code === 'connection_missing' || handle.code === 'connection_paused') return { outcome: 'skipped' as const, reason: handle.code };
        throw new SyncFailure(handle.code, handle.message);
      }
      const active = await loadActiveSpec(db, rt.compile, data.mappingId);
      if (active === null || active.spec.direction === 'in' || active.mapping.connectionId !== data.connectionId || active.spec.hubObject !== data.hubObject) {
        return { outcome: 'skipped' as const, reason: 'mapping_inactive' };
      }
      ident.remoteObject = active.spec.remoteObject;
      const adapter = rt.hubObjects[data.hubObject];
      if (adapter === undefined) throw new SyncFailure('unsupported_hub_object', `sync cannot read hub ${data.hubObject} records`);
      const hub = await adapter.read(db, data.hubId, { now: rt.now(), timeZone: await rt.timeZoneOf(data.tenantId) });
      const link = await findLinkByHub(db, data);
      const remoteLive = link?.remoteId !== undefined && link.status !== 'deleted' && link.status !== 'closed';

      if (hub === null || hub.deleted) {
        if (!remoteLive) return { outcome: 'skipped' as const, reason: 'not_linked' };
        return removeRemote(rt, control, handle.handle, active.spec.deletePolicy, ident, link!, active.version);
      }
      const mapped = await active.compiled.toRemote(hub.record);
      if (mapped.skipped) return { outcome: 'skipped' as const, reason: 'filtered' };
      if (mapped.errors.length > 0) {
        throw new SyncFailure('mapping_failed', `the mapping could not map this record: ${mapped.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      }
      const output = mapped.output as Record<string, unknown>;
      // Only inbound reads compare the remote version (echoes, stale webhooks); an `out` mapping
      // never reads the remote, so the write need not be read back for it.
      const readBack = active.spec.direction !== 'out';
      const states = fieldStates(active.spec, output);
      const snapshot = linkSnapshot(active.spec, hub.record);
      const common = {
        mappingVersion: active.version,
        lastSnapshot: { hash: snapshot.hash, values: toStoredValues(snapshot.values) },
        lastSyncedAt: rt.now(),
        lastDirection: 'out' as const,
      };

      if (!remoteLive) {
        const generation = link === null ? 0 : link.status === 'deleted' || link.status === 'closed' ? link.generation + 1 : link.generation;
        await control.gate(handle.handle);
        const pushed = await push(handle.handle, {
          readBack,
          object: active.spec.remoteObject,
          op: 'create',
          data: output,
          idempotencyKey: `mh-${data.mappingId}-${data.hubId}-c${generation}`,
          hubId: data.hubId,
        });
        await rt.seams.afterPush?.({ mappingId: data.mappingId, hubId: data.hubId, remoteId: pushed.id, op: 'create' });
        const fieldHashes = states.map((s) => ({ path: s.remote, hash: s.hash }));
        await saveLink(
          db,
          ident,
          {
            ...common,
            remoteId: pushed.id,
            generation,
            status: 'linked',
            fieldHashes,
            lastHash: hashOfFieldHashes(fieldHashes),
            lastOperation: 'create',
            ...(pushed.version === undefined ? {} : { lastRemoteVersion: pushed.version }),
          },
          { $unset: { lastError: true, lastRemoteUpdatedAt: true } },
        );
        if (link?.status === 'failed' || data.deadLetterId !== undefined) await resolveDeadLetter(db, letterKey, rt.now());
        return { outcome: 'created' as const, op: 'create' as const, remoteId: pushed.id };
      }

      const send = fieldsToSend(states, link!, data);
      if (send.length === 0) {
        if (link!.status === 'failed') {
          await saveLink(db, ident, { status: 'linked' }, { $unset: { lastError: true } });
          await resolveDeadLetter(db, letterKey, rt.now());
        }
        return { outcome: 'skipped' as const, reason: 'unchanged' };
      }
      const payload = pickPaths(output, send.map((s) => s.remote));
      await control.gate(handle.handle);
      const pushed = await push(handle.handle, {
        readBack,
        object: active.spec.remoteObject,
        op: 'update',
        id: link!.remoteId!,
        data: payload,
        idempotencyKey: `mh-${data.mappingId}-${data.hubId}-u${hashOfFieldHashes(send.map((s) => ({ path: s.remote, hash: s.hash }))).slice(0, 16)}`,
        hubId: data.hubId,
      });
      await rt.seams.afterPush?.({ mappingId: data.mappingId, hubId: data.hubId, remoteId: pushed.id, op: 'update' });
      const hashes = new Map(link!.fieldHashes.map((h) => [h.path, h.hash]));
      for (const s of send) hashes.set(s.remote, s.hash);
      const fieldHashes = [...hashes].map(([path, hash]) => ({ path, hash }));
      await saveLink(
        db,
        ident,
        {
          ...common,
          status: link!.conflictFields.length > 0 ? 'conflict' : 'linked',
          fieldHashes,
          lastHash: hashOfFieldHashes(fieldHashes),
          lastOperation: 'update',
          ...(pushed.version === undefined ? {} : { lastRemoteVersion: pushed.version }),
        },
        { $unset: { lastError: true } },
      );
      if (link!.status === 'failed' || data.deadLetterId !== undefined) await resolveDeadLetter(db, letterKey, rt.now());
      return { outcome: 'updated' as const, op: 'update' as const, remoteId: pushed.id };
    },
  );
  count(result.outcome);
  return result;
}

/**
 * The fields a linked record sends: those whose mapped value differs from what the remote holds,
 * not owned by the remote, without an open conflict; a targeted resync narrows them to the fields
 * its mapping change affects; a settled conflict forces its fields.
 */
export function fieldsToSend(states: readonly FieldState[], link: Pick<SyncLinkDoc, 'fieldHashes' | 'conflictFields'>, data: Pick<PushJobData, 'onlyFields' | 'forceFields'>): FieldState[] {
  const known = new Map(link.fieldHashes.map((h) => [h.path, h.hash]));
  const only = data.onlyFields === undefined ? undefined : new Set(data.onlyFields);
  const forced = new Set(data.forceFields ?? []);
  return states.filter((s) => {
    if (s.value === undefined) return false;
    if (forced.has(s.hub)) return true;
    if (link.conflictFields.includes(s.hub) || s.owner === 'remote') return false;
    if (only !== undefined && !only.has(s.hub)) return false;
    return known.get(s.remote) !== s.hash;
  });
}

async function removeRemote(
  rt: SyncRuntime,
  control: JobControl,
  handle: ConnectionHandle,
  policy: 'ignore' | 'delete' | 'close',
  ident: LinkIdentity,
  link: SyncLinkDoc,
  version: number,
): Promise<PushOutcome> {
  const db = rt.store.forTenant(handle.conn.tenantId!);
  if (policy === 'ignore') return { outcome: 'skipped', reason: 'delete_ignored' };
  if (policy === 'close' && !CLOSES.has(handle.connector.id)) {
    await saveLink(db, ident, { lastError: { code: 'close_unsupported', message: `the ${handle.connector.id} connector cannot close records; use deletePolicy "delete" or "ignore"`, at: rt.now() } });
    return { outcome: 'skipped', reason: 'close_unsupported' };
  }
  await control.gate(handle);
  await push(handle, {
    object: ident.remoteObject,
    op: 'delete',
    id: link.remoteId!,
    ...(policy === 'close' ? { data: { deleteMode: 'close' } } : {}),
    idempotencyKey: `mh-${ident.mappingId}-${ident.hubId}-d${link.generation}`,
    hubId: ident.hubId,
  });
  await saveLink(db, ident, { status: policy === 'close' ? 'closed' : 'deleted', lastOperation: policy, lastSyncedAt: rt.now(), lastDirection: 'out', mappingVersion: version }, { $unset: { lastError: true } });
  return { outcome: 'updated', op: policy === 'close' ? 'close' : 'delete', remoteId: link.remoteId! };
}

// The hub id rides along so connectors can record it on the remote record (Jira's entity property).
function push(handle: ConnectionHandle, request: PushRequest & { hubId: string }): Promise<PushResult> {
  if (handle.connector.push === undefined) throw new SyncFailure('push_unsupported', `the ${handle.connector.id} connector writes nothing`);
  return handle.connector.push(handle.context, request);
}
