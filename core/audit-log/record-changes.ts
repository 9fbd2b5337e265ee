import { DEFAULT_IGNORED_FIELDS, fieldDiff } from '../audit/index.ts';
import type { AggregateType, DomainContext } from '../domain/index.ts';
import { appendAudit } from './append-audit.ts';
import type { AuditEntryDoc } from './collections.ts';

/** Bookkeeping that says nothing about the business change. */
const IGNORED = [...DEFAULT_IGNORED_FIELDS, '_id', 'tenantId', 'revision', 'createdAt'];

/** One change to a document, before and after (`before` is null for a creation). */
export interface RecordedChange {
  action: string;
  aggregate: { type: AggregateType; id: string };
  before: Readonly<Record<string, unknown>> | null;
  after: Readonly<Record<string, unknown>>;
  data?: Record<string, unknown>;
}

/**
 * Records changes in the audit log with their field diffs, stamped with `ctx`'s actor and clock.
 *
 * @example await recordChanges(ctx, [{ action: 'milestone.updated', aggregate: { type: 'milestone', id }, before, after }])
 */
export async function recordChanges(ctx: DomainContext, changes: readonly RecordedChange[]): Promise<AuditEntryDoc[]> {
  const at = ctx.now();
  return appendAudit(
    ctx.db,
    changes.map((change) => ({
      at,
      actor: ctx.actor,
      action: change.action,
      aggregate: change.aggregate,
      changes: fieldDiff((change.before ?? {}) as Record<string, unknown>, change.after as Record<string, unknown>, { ignore: IGNORED }),
      ...(change.data === undefined ? {} : { data: change.data }),
    })),
  );
}
