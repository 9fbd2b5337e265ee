import { fieldDiff } from '../audit/index.ts';
import type { DomainContext } from '../domain/index.ts';
import { appendAudit } from './append-audit.ts';
import type { AuditEntryDoc } from './collections.ts';
import { AUDIT_IGNORED_FIELDS, type RecordedChange } from './pending-audit.ts';

/**
 * Records changes in the audit log with their field diffs, stamped with `ctx`'s actor and clock.
 * This runs after the change is written, so a crash in between loses the entry: changes to an
 * aggregate write a {@link pendingAudit} entry in the same update instead.
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
      changes: fieldDiff((change.before ?? {}) as Record<string, unknown>, change.after as Record<string, unknown>, { ignore: AUDIT_IGNORED_FIELDS }),
      ...(change.data === undefined ? {} : { data: change.data }),
    })),
  );
}
