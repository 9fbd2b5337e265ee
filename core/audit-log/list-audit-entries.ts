import { decodeAfterCursor, encodeAfterCursor } from '../domain/index.ts';
import type { TenantStore } from '../store/index.ts';
import { auditLogCollection, type AuditEntryDoc } from './collections.ts';

/**
 * One aggregate's audit entries, oldest first, a page at a time.
 *
 * @example await listAuditEntries(db, { aggregateId: 'ms_01j...', limit: 50 })
 */
export async function listAuditEntries(
  db: TenantStore,
  options: { aggregateId: string; limit?: number; cursor?: string | null | undefined },
): Promise<{ items: AuditEntryDoc[]; nextCursor: string | null }> {
  const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
  const after = options.cursor ? decodeAfterCursor(options.cursor, 'number') : 0;
  const rows = await db
    .collection(auditLogCollection)
    .find({ aggregateId: options.aggregateId, seq: { $gt: after } }, { sort: { seq: 1 }, limit: limit + 1 });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeAfterCursor(last.seq) : null };
}
