import type { Job } from 'bullmq';
import type { RemoteRecord } from '../../connectors/index.ts';
import { activeMappings } from '../../core/mapping-store/index.ts';
import type { TenantStore } from '../../core/store/index.ts';
import { loadCursor, recordDeadLetter, resolveDeadLetter, deadLetterKey, saveCursor, windowRun, type RunRef } from '../../core/sync/index.ts';
import { compileActive, type ActiveSpec } from './active-mapping.ts';
import { applyRemoteRecord, type InboundScope } from './apply-remote-record.ts';
import { deadLetterError, runControlled } from './job-control.ts';
import { SyncFailure } from './sync-failure.ts';
import type { ApplyJobData, PollJobData } from './sync-jobs.ts';
import type { SyncRuntime } from './sync-runtime.ts';

// Longer than any sweep of `maxPagesPerPoll` pages should take; a dead holder's lock expires.
const SWEEP_LOCK_MS = 10 * 60_000;

/** The active `in`/`both` mappings of a connection for one remote object, compiled. */
export async function inboundSpecs(rt: SyncRuntime, db: TenantStore, connectionId: string, remoteObject: string, mappingId?: string): Promise<ActiveSpec[]> {
  const found = await activeMappings(db, { connectionId });
  const out: ActiveSpec[] = [];
  for (const { mapping, version, spec } of found) {
    if (mapping.remoteObject !== remoteObject || mapping.direction === 'out') continue;
    if (mappingId !== undefined && mapping._id !== mappingId) continue;
    out.push(compileActive(rt.compile, mapping, version.number, spec));
  }
  return out;
}

/**
 * Applies one record through each mapping. A record a mapping cannot apply goes to dead letters
 * for that mapping alone (the others and the rest of the page go on); failures that may pass
 * (network, a concurrent change) throw, so the job retries.
 */
async function applyEverywhere(
  rt: SyncRuntime,
  scope: InboundScope,
  specs: readonly ActiveSpec[],
  record: RemoteRecord,
  info: { job: Job; run: RunRef; force?: boolean; source: ApplyJobData['source'] | 'poll' },
): Promise<void> {
  const tenantId = scope.db.tenantId;
  for (const active of specs) {
    const letter = {
      direction: 'in' as const,
      connectionId: scope.handle.conn._id,
      mappingId: active.mapping._id,
      hubObject: active.spec.hubObject,
      remoteObject: active.spec.remoteObject,
      remoteId: record.id,
    };
    try {
      const result = await applyRemoteRecord(rt, scope, active, record, { force: info.force ?? false });
      rt.runs.count(tenantId, info.run, result.outcome);
      if (result.outcome !== 'skipped' || info.force === true) await resolveDeadLetter(scope.db, deadLetterKey(letter), rt.now());
    } catch (err) {
      const dead = deadLetterError(err);
      if (dead === undefined) throw err;
      rt.runs.count(tenantId, info.run, 'failed');
      const data: ApplyJobData = { tenantId, connectionId: letter.connectionId, remoteObject: letter.remoteObject, remoteId: record.id, record, source: 'replay', mappingId: active.mapping._id };
      await recordDeadLetter(scope.db, { ...letter, queue: 'sync-in', jobName: 'apply', ...(info.job.id === undefined ? {} : { jobId: info.job.id }), data, error: dead }, rt.now());
      rt.logger.warn({ connectionId: letter.connectionId, mappingId: letter.mappingId, remoteId: record.id, code: dead.code }, 'inbound record sent to dead letters');
    }
  }
}

/** Processes an `apply` job: one remote record a webhook reported (read with `get` when it came without data). */
export async function applyJob(rt: SyncRuntime, job: Job, token: string | undefined): Promise<{ mappings: number; skipped?: string }> {
  const data = job.data as ApplyJobData;
  const db = rt.store.forTenant(data.tenantId);
  const run = windowRun('webhook', data.connectionId, rt.now(), rt.options.runWindowMs);
  return runControlled(
    rt,
    job,
    token,
    {
      db,
      connectionId: data.connectionId,
      letter: { direction: 'in', queue: 'sync-in', connectionId: data.connectionId, remoteObject: data.remoteObject, remoteId: data.remoteId, ...(data.mappingId === undefined ? {} : { mappingId: data.mappingId }) },
      onDead: async () => rt.runs.count(data.tenantId, run, 'failed'),
    },
    async (control) => {
      const handle = await rt.handles.get(db, data.connectionId);
      if (!handle.ok) {
        if (handle.code === 'connection_missing' || handle.code === 'connection_paused') return { mappings: 0, skipped: handle.code };
        throw new SyncFailure(handle.code, handle.message);
      }
      const specs = await inboundSpecs(rt, db, data.connectionId, data.remoteObject, data.mappingId);
      if (specs.length === 0) return { mappings: 0, skipped: 'no_inbound_mapping' };
      let record = data.record;
      const get = handle.handle.connector.get;
      if (record === undefined && get === undefined) record = data.fallbackRecord;
      if (record === undefined) {
        if (get === undefined) throw new SyncFailure('get_unsupported', `the ${handle.handle.connector.id} connector cannot read ${data.remoteObject} ${data.remoteId}, and the webhook did not carry it`);
        await control.gate(handle.handle);
        record = (await get(handle.handle.context, { object: data.remoteObject, id: data.remoteId })) ?? { id: data.remoteId, deleted: true, data: {} };
      }
      const scope: InboundScope = { db, handle: handle.handle, timeZone: await rt.timeZoneOf(data.tenantId) };
      await applyEverywhere(rt, scope, specs, record, { job, run, source: data.source, ...(data.force === undefined ? {} : { force: data.force }) });
      return { mappings: specs.length };
    },
  );
}

/**
 * Processes a `poll` job: pages of changes since the durable cursor, each page applied before the
 * cursor moves on, so a crash re-reads at most one page (and re-applying it is a no-op: versions
 * and hashes match). One job reads at most `maxPagesPerPoll` pages; the next sweep continues.
 * The run (one per job) counts each record's outcome.
 */
export async function pollJob(rt: SyncRuntime, job: Job, token: string | undefined): Promise<{ pages: number; records: number; done: boolean; skipped?: string }> {
  const data = job.data as PollJobData;
  const db = rt.store.forTenant(data.tenantId);
  const run: RunRef = { id: `run-poll-${data.connectionId}-${job.id ?? rt.now().getTime()}`.replace(/:/g, '-'), kind: 'poll', connectionId: data.connectionId, remoteObject: data.remoteObject, startedAt: rt.now() };
  return runControlled(
    rt,
    job,
    token,
    {
      db,
      connectionId: data.connectionId,
      letter: { direction: 'in', queue: 'sync-in', connectionId: data.connectionId, remoteObject: data.remoteObject, remoteId: '*poll*' },
    },
    async (control) => {
      const handle = await rt.handles.get(db, data.connectionId);
      if (!handle.ok) {
        if (handle.code === 'connection_missing' || handle.code === 'connection_paused') return { pages: 0, records: 0, done: true, skipped: handle.code };
        throw new SyncFailure(handle.code, handle.message);
      }
      const pull = handle.handle.connector.pull;
      if (pull === undefined) return { pages: 0, records: 0, done: true, skipped: 'pull_unsupported' };
      const specs = await inboundSpecs(rt, db, data.connectionId, data.remoteObject);
      if (specs.length === 0) return { pages: 0, records: 0, done: true, skipped: 'no_inbound_mapping' };
      const scope: InboundScope = { db, handle: handle.handle, timeZone: await rt.timeZoneOf(data.tenantId) };
      // Two sweeps of one cursor would apply the same pages twice and race on the cursor.
      const lockKey = rt.sweeps.keyOf(data.tenantId, data.connectionId, data.remoteObject);
      const lock = await rt.sweeps.acquire(lockKey, SWEEP_LOCK_MS);
      if (lock === null) return { pages: 0, records: 0, done: false, skipped: 'sweep_running' };
      try {
        let cursor = (await loadCursor(db, data.connectionId, data.remoteObject))?.cursor ?? null;
        let pages = 0;
        let records = 0;
        let done = false;
        while (!done && pages < rt.options.maxPagesPerPoll) {
          await control.gate(handle.handle);
          const page = await pull(handle.handle.context, { object: data.remoteObject, cursor, limit: rt.options.pageSize });
          for (const record of page.records) await applyEverywhere(rt, scope, specs, record, { job, run, source: 'poll' });
          await saveCursor(db, { connectionId: data.connectionId, remoteObject: data.remoteObject, cursor: page.nextCursor, records: page.records.length, done: page.done }, rt.now());
          cursor = page.nextCursor;
          done = page.done;
          pages += 1;
          records += page.records.length;
        }
        rt.runs.count(data.tenantId, { ...run, endedAt: rt.now() }, 'skipped', 0);
        return { pages, records, done };
      } finally {
        await rt.sweeps.release(lockKey, lock);
      }
    },
  );
}
