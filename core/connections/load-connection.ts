import type { Filter, Page, TenantStore } from '../store/index.ts';
import { connectionsCollection, type ConnectionDoc } from './collections.ts';

/**
 * One connection of the tenant, or null when it does not exist, belongs to another tenant (the
 * store's scope hides it) or was deleted (unless `includeDeleted`).
 */
export async function loadConnection(db: TenantStore, id: string, { includeDeleted = false }: { includeDeleted?: boolean } = {}): Promise<ConnectionDoc | null> {
  const doc = await db.collection(connectionsCollection).findById(id);
  if (doc === null || (!includeDeleted && doc.status === 'deleted')) return null;
  return doc;
}

/** The tenant's connections, newest last, deleted ones only when asked for by status. */
export function listConnections(
  db: TenantStore,
  { connector, status, cursor, limit = 50 }: { connector?: string; status?: ConnectionDoc['status']; cursor?: string | null; limit?: number } = {},
): Promise<Page<ConnectionDoc>> {
  const filter: Filter = { status: status ?? { $ne: 'deleted' } };
  if (connector !== undefined) filter.connector = connector;
  return db.collection(connectionsCollection).page(filter, { cursor: cursor ?? null, limit });
}
