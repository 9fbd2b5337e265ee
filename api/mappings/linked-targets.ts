import type { Context } from 'hono';
import type { MappingDoc } from '../../core/mapping-store/index.ts';
import { findLinkByHub, findLinkByRemote } from '../../core/sync/index.ts';
import { HUB_OBJECTS } from '../../queues/sync/index.ts';
import type { AppEnv } from '../app-env.ts';
import { connectionContext, vendorProblem } from '../connections/index.ts';
import type { ResolvedSpec } from './resolve-spec.ts';

/** Where a previewed record is linked through the mapping, and what its twin holds now. */
export interface LinkedTarget {
  hubId: string;
  remoteId: string;
  /** The twin as the mapping's other side reads it; absent when it could not be read. */
  current?: Record<string, unknown>;
  /** Why `current` is absent. */
  unread?: 'deleted' | 'not_readable';
}

const idOf = (record: unknown, keys: readonly string[]): string | undefined => {
  if (record === null || typeof record !== 'object') return undefined;
  for (const k of keys) {
    const v = (record as Record<string, unknown>)[k];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
};

/**
 * For a stored mapping's preview: finds each record's link through the mapping and reads its
 * twin, so the diff shows what syncing would change. Out: a hub record (by `id`) → the remote
 * record, read through the connection (a read only; refreshed tokens are not kept). In: a remote
 * record (by the id the pull returned, or `remoteIds[i]`, else `id`/`Id`/`key`) → the hub record.
 * Records without a link get no entry.
 */
export async function linkedTargets(
  c: Context<AppEnv>,
  mapping: MappingDoc,
  resolved: ResolvedSpec,
  direction: 'out' | 'in',
  records: readonly unknown[],
  remoteIds?: readonly (string | undefined)[],
): Promise<Map<number, LinkedTarget>> {
  const db = c.get('db');
  const out = new Map<number, LinkedTarget>();
  const services = c.get('services');
  if (direction === 'in') {
    const adapter = HUB_OBJECTS[mapping.hubObject];
    const timeZone = c.get('auth').tenant.timeZone ?? 'Asia/Kolkata';
    await Promise.all(
      records.map(async (record, i) => {
        const remoteId = remoteIds?.[i] ?? idOf(record, ['id', 'Id', 'key']);
        if (remoteId === undefined) return;
        const link = await findLinkByRemote(db, { connectionId: mapping.connectionId, mappingId: mapping._id, remoteObject: mapping.remoteObject, remoteId });
        if (link === null) return;
        const hub = adapter === undefined ? null : await adapter.read(db, link.hubId, { now: services.now(), timeZone });
        out.set(i, hub === null || hub.deleted ? { hubId: link.hubId, remoteId, unread: 'deleted' } : { hubId: link.hubId, remoteId, current: hub.record });
      }),
    );
    return out;
  }
  const links = await Promise.all(
    records.map(async (record) => {
      const hubId = idOf(record, ['id', '_id']);
      return hubId === undefined ? null : findLinkByHub(db, { connectionId: mapping.connectionId, mappingId: mapping._id, hubId });
    }),
  );
  if (!links.some((l) => l?.remoteId !== undefined)) return out;
  const { connector, connection } = resolved;
  const made = connector.get === undefined ? null : connectionContext(services, db, connection, connector, { persistCredentials: false, signal: c.req.raw.signal });
  for (const [i, link] of links.entries()) {
    if (link?.remoteId === undefined) continue;
    const base = { hubId: link.hubId, remoteId: link.remoteId };
    if (made === null || !made.ok || connector.get === undefined) {
      out.set(i, { ...base, unread: 'not_readable' });
      continue;
    }
    try {
      const remote = await connector.get(made.context, { object: mapping.remoteObject, id: link.remoteId });
      out.set(i, remote === null || remote.deleted === true ? { ...base, unread: 'deleted' } : { ...base, current: remote.data });
    } catch (err) {
      throw vendorProblem(err);
    }
  }
  return out;
}
