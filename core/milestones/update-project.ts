import type { DomainContext, DomainResult } from '../domain/index.ts';
import { applyProjectPatch, type ProjectDoc } from '../projects/index.ts';
import { loadSiblings } from './check-milestone.ts';
import { splitIssues } from './payment-commitments.ts';

/**
 * Changes a project. Lives here rather than in core/projects because a new contract value must
 * still cover the milestones' fixed payment amounts. `{ status: 'archived' }` archives it.
 *
 * @example await updateProject(ctx, id, { contractValue: 60_00_000_00 }, { expectedVersion: 2 })
 */
export async function updateProject(
  ctx: DomainContext,
  id: string,
  patch: unknown,
  options: { expectedVersion?: number | undefined } = {},
): Promise<DomainResult<ProjectDoc>> {
  return applyProjectPatch(ctx, id, patch, {
    expectedVersion: options.expectedVersion,
    check: async (before, after) => {
      if (after.contractValue === before.contractValue) return [];
      const siblings = await loadSiblings(ctx.db, id);
      const payments = siblings.filter((s) => s.statusCategory !== 'cancelled').map((s) => s.payment);
      return splitIssues(payments, after.contractValue, 'contractValue').map((issue) => ({
        ...issue,
        message: `the milestones' payments do not fit the new contract value: ${issue.message}`,
      }));
    },
  });
}

/** Archives a project: it leaves the default list and takes no new milestones; nothing is removed. */
export async function archiveProject(ctx: DomainContext, id: string, options: { expectedVersion?: number | undefined } = {}): Promise<DomainResult<ProjectDoc>> {
  return applyProjectPatch(ctx, id, { status: 'archived' }, options);
}
