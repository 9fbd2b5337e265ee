import { z } from 'zod';
import { pendingAudit } from '../audit-log/index.ts';
import { findLatestWorkflow, getWorkflowForMilestone, UnknownWorkflowError } from '../definitions/index.ts';
import { domainEvent, failWith, invalid, issuesFromZod, revisionedWrite, succeed, type DomainContext, type DomainResult } from '../domain/index.ts';
import { migrateMilestoneStatus } from '../workflow/index.ts';
import { settleMilestoneAudit, withoutPendingAudit } from './milestone-audit.ts';
import { milestonesCollection, type MilestoneDoc } from './collections.ts';
import { resolveMilestoneWorkflow } from './resolve-workflow.ts';

/**
 * Where to move a milestone: `version` of its workflow (or of `workflowId`), with a state mapping.
 * `expectedVersion` is the milestone's own version, for optimistic concurrency.
 */
export const migrateWorkflowInputSchema = z
  .object({
    workflowId: z.string().min(1).max(64).optional(),
    version: z.number().int().positive().optional(),
    mapping: z.record(z.string(), z.string()).optional(),
    expectedVersion: z.number().int().positive().optional(),
  })
  .strict();

/**
 * Moves a milestone to another workflow version (the latest of its workflow when none is given),
 * mapping its status by id or through `mapping`. Emits `milestone.workflow_migrated`.
 *
 * @example await migrateMilestoneWorkflow(ctx, id, { version: 2, mapping: { on_hold: 'paused' } })
 */
export async function migrateMilestoneWorkflow(
  ctx: DomainContext,
  id: string,
  input: unknown,
  options: { expectedVersion?: number | undefined } = {},
): Promise<DomainResult<MilestoneDoc>> {
  const parsed = migrateWorkflowInputSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const { workflowId, version, mapping = {}, expectedVersion } = parsed.data;
  const written = await revisionedWrite({
    collection: ctx.db.collection(milestonesCollection),
    id,
    what: 'milestone',
    expectedVersion: options.expectedVersion ?? expectedVersion,
    plan: async (doc) => {
      const from = await resolveMilestoneWorkflow(ctx.db, doc);
      if (!from.ok) return from;
      const targetId = workflowId ?? doc.workflow.id;
      let to;
      try {
        to = version === undefined ? await findLatestWorkflow(ctx.db, targetId) : await getWorkflowForMilestone(ctx.db, { workflowId: targetId, version });
      } catch (err) {
        if (!(err instanceof UnknownWorkflowError)) throw err;
        return invalid([{ path: 'version', message: err.message, code: 'unknown_workflow' }]);
      }
      if (!to) return invalid([{ path: 'workflowId', message: `no workflow '${targetId}'`, code: 'unknown_workflow' }]);
      if (to.id === doc.workflow.id && to.version === doc.workflow.version) return succeed({ update: null });
      const migrated = migrateMilestoneStatus({ from: from.value.workflow, to: to.workflow, status: doc.status, mapping });
      if (!migrated.ok) return invalid([{ path: 'mapping', message: migrated.error.message, code: migrated.error.code }]);
      const m = migrated.value;
      const event = domainEvent(ctx, 'milestone.workflow_migrated', { type: 'milestone', id }, {
        from: { workflow: doc.workflow, status: m.from },
        to: { workflow: { id: to.id, version: to.version }, status: m.to },
        version: doc.revision + 1,
      });
      const $set = { workflow: { id: to.id, version: to.version }, status: m.to, statusCategory: m.toCategory, ...(m.changed ? { statusChangedAt: ctx.now() } : {}) };
      const audit = pendingAudit(ctx, { action: 'milestone.workflow_migrated', aggregate: { type: 'milestone', id }, before: doc as unknown as Record<string, unknown>, after: { ...doc, ...$set } });
      return succeed({ update: { $set, $push: { outbox: event, auditOutbox: audit } } });
    },
  });
  if (!written.ok) return failWith(written.error);
  if (written.value.changed) await settleMilestoneAudit(ctx, [written.value.after]);
  return succeed(withoutPendingAudit(written.value.after));
}
