import { z } from 'zod';
import { invalid, issuesFromZod, succeed, type DomainContext, type DomainResult, type DomainError } from '../domain/index.ts';
import { milestonesCollection } from './collections.ts';
import { milestonePatchSchema } from './milestone-schema.ts';
import { milestoneQuery } from './read-milestones.ts';
import { updateMilestone } from './update-milestone.ts';

/** Most milestones one bulk update touches. */
export const MAX_BULK_ITEMS = 5000;

/** Which milestones to change and what to set on each. */
export const bulkUpdateInputSchema = z
  .object({
    filter: z
      .object({
        projectId: z.string().min(1).max(64).optional(),
        status: z.union([z.string().min(1).max(64), z.array(z.string().min(1).max(64)).min(1).max(20)]).optional(),
        owner: z.string().min(1).max(120).optional(),
        tags: z.array(z.string().min(1).max(50)).min(1).max(20).optional(),
        tag: z.string().min(1).max(50).optional(),
        ids: z.array(z.string().min(1).max(64)).min(1).max(MAX_BULK_ITEMS).optional(),
      })
      .strict()
      .refine((f) => Object.values(f).some((v) => v !== undefined), { message: 'give at least one of projectId, status, owner, tags or ids' }),
    set: milestonePatchSchema.omit({ version: true, status: true }).refine((s) => Object.keys(s).length > 0, { message: 'set at least one field' }),
  })
  .strict();

export type BulkUpdateInput = z.input<typeof bulkUpdateInputSchema>;

/** One milestone's outcome. */
export type BulkItemResult = { id: string; ok: true; version: number; changed: boolean } | { id: string; ok: false; error: DomainError };

/**
 * Sets the same fields on every milestone matching a filter (status, owner, tags, project, ids),
 * each through `updateMilestone` with all its checks, events and audit entries, and reports each
 * one's outcome. One refusal does not stop the others.
 *
 * @example await bulkUpdateMilestones(ctx, { filter: { tags: ['site-a'] }, set: { priority: 'high' } }, { role: 'manager' })
 */
export async function bulkUpdateMilestones(
  ctx: DomainContext,
  input: unknown,
  options: { role?: string | undefined; today: string },
): Promise<DomainResult<{ matched: number; updated: number; unchanged: number; failed: number; items: BulkItemResult[] }>> {
  const parsed = bulkUpdateInputSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const { filter, set } = parsed.data;
  const query = milestoneQuery(
    { projectId: filter.projectId, status: filter.status, owner: filter.owner, tags: [...(filter.tags ?? []), ...(filter.tag ? [filter.tag] : [])] },
    { today: options.today, role: options.role },
  );
  if (filter.ids) query._id = { $in: filter.ids };
  const matches = await ctx.db.collection(milestonesCollection).find(query, { sort: { _id: 1 }, limit: MAX_BULK_ITEMS + 1, projection: { _id: 1, revision: 1 } });
  if (matches.length > MAX_BULK_ITEMS) {
    return invalid([{ path: 'filter', message: `the filter matches more than ${MAX_BULK_ITEMS} milestones; narrow it`, code: 'too_many' }]);
  }
  const items: BulkItemResult[] = [];
  for (const match of matches) {
    const result = await updateMilestone(ctx, match._id, set);
    items.push(result.ok ? { id: match._id, ok: true, version: result.value.revision, changed: result.value.revision !== match.revision } : { id: match._id, ok: false, error: result.error });
  }
  const updated = items.filter((i) => i.ok && i.changed).length;
  const failed = items.filter((i) => !i.ok).length;
  return succeed({ matched: matches.length, updated, unchanged: matches.length - updated - failed, failed, items });
}
