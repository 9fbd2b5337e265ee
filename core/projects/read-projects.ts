import { decodeAfterCursor, encodeAfterCursor } from '../domain/index.ts';
import type { Filter, TenantStore } from '../store/index.ts';
import { projectsCollection, type ProjectDoc } from './collections.ts';

/** A live project of the tenant (archived ones included), or null. */
export async function getProject(db: TenantStore, id: string): Promise<ProjectDoc | null> {
  return db.collection(projectsCollection).findOne({ _id: id, deletedAt: { $exists: false } });
}

/**
 * The tenant's projects by creation, a page at a time; archived ones only when asked.
 *
 * @example await listProjects(db, { limit: 20, status: 'active' })
 */
export async function listProjects(
  db: TenantStore,
  options: { status?: 'active' | 'archived' | 'all'; q?: string; limit?: number; cursor?: string | null | undefined } = {},
): Promise<{ items: ProjectDoc[]; nextCursor: string | null }> {
  const limit = Math.max(1, Math.min(options.limit ?? 50, 500));
  const filter: Filter = { deletedAt: { $exists: false } };
  const status = options.status ?? 'active';
  if (status !== 'all') filter.status = status;
  if (options.q) filter.name = { $regex: new RegExp(escapeRegExp(options.q), 'i') };
  if (options.cursor) filter._id = { $gt: decodeAfterCursor(options.cursor, 'string') };
  const rows = await db.collection(projectsCollection).find(filter, { sort: { _id: 1 }, limit: limit + 1 });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeAfterCursor(last._id) : null };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
