import { z } from 'zod';
import { dateInZone, invalid, issuesFromZod, succeed, type DomainContext, type DomainResult } from '../domain/index.ts';
import { milestoneQuery, milestonesCollection, updateMilestone, type BulkItemResult, type Owner } from '../milestones/index.ts';

const MAX_ITEMS = 5000;

/** Bulk reassignment: every milestone `from` owns (matching `filter`) goes to `to`. */
export const reassignInputSchema = z
  .object({
    /** A person id, `team:<name>` or `department:<name>`. */
    from: z.string().min(1).max(120),
    to: z.string().min(1).max(120),
    /** Which of `from`'s ownerships move. @default 'any' */
    role: z.enum(['primary', 'backup', 'any']).default('any'),
    filter: z
      .object({
        projectId: z.string().min(1).max(64).optional(),
        status: z.union([z.string().min(1).max(64), z.array(z.string().min(1).max(64)).min(1).max(20)]).optional(),
        tags: z.array(z.string().min(1).max(50)).min(1).max(20).optional(),
        ids: z.array(z.string().min(1).max(64)).min(1).max(MAX_ITEMS).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ReassignInput = z.input<typeof reassignInputSchema>;

/**
 * Moves ownership from one owner to another on every matching milestone, each through
 * `updateMilestone` (checks, `milestone.owners_changed`, audit), with a result per milestone.
 * When `to` already owns a milestone, the moved role merges into theirs (primary wins).
 *
 * @example await reassignOwners(ctx, { from: 'per_a', to: 'per_b', filter: { projectId } }, { role: 'manager' })
 */
export async function reassignOwners(
  ctx: DomainContext,
  input: unknown,
  options: { role?: string | undefined } = {},
): Promise<DomainResult<{ matched: number; updated: number; failed: number; items: BulkItemResult[] }>> {
  const parsed = reassignInputSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const { from, to, role, filter = {} } = parsed.data;
  if (from === to) return invalid([{ path: 'to', message: 'from and to are the same owner', code: 'same_owner' }]);
  const target = ownerOf(to);
  const source = ownerOf(from);
  const query = milestoneQuery({ projectId: filter.projectId, status: filter.status, tags: filter.tags, owner: from }, { today: dateInZone(ctx.now(), ctx.timeZone), role: options.role });
  if (filter.ids) query._id = { $in: filter.ids };
  const matches = await ctx.db.collection(milestonesCollection).find(query, { sort: { _id: 1 }, limit: MAX_ITEMS + 1, projection: { _id: 1, owners: 1, revision: 1 } });
  if (matches.length > MAX_ITEMS) return invalid([{ path: 'filter', message: `more than ${MAX_ITEMS} milestones match; narrow the filter`, code: 'too_many' }]);
  const items: BulkItemResult[] = [];
  for (const match of matches) {
    const owners = reassigned(match.owners ?? [], source, target, role);
    if (!owners) {
      items.push({ id: match._id, ok: true, version: match.revision, changed: false });
      continue;
    }
    const result = await updateMilestone(ctx, match._id, { owners });
    items.push(result.ok ? { id: match._id, ok: true, version: result.value.revision, changed: true } : { id: match._id, ok: false, error: result.error });
  }
  return succeed({ matched: matches.length, updated: items.filter((i) => i.ok && i.changed).length, failed: items.filter((i) => !i.ok).length, items });
}

function ownerOf(ref: string): Pick<Owner, 'kind' | 'ref'> {
  const match = /^(team|department):(.+)$/.exec(ref);
  return match ? { kind: match[1] as Owner['kind'], ref: match[2]! } : { kind: 'individual', ref };
}

function reassigned(owners: readonly Owner[], from: Pick<Owner, 'kind' | 'ref'>, to: Pick<Owner, 'kind' | 'ref'>, role: 'primary' | 'backup' | 'any'): Owner[] | undefined {
  const moving = owners.filter((o) => o.kind === from.kind && o.ref === from.ref && (role === 'any' || o.role === role));
  if (moving.length === 0) return undefined;
  const rest = owners.filter((o) => !moving.includes(o));
  const existing = rest.find((o) => o.kind === to.kind && o.ref === to.ref);
  const promoted = moving.some((o) => o.role === 'primary') ? 'primary' : 'backup';
  if (existing) {
    if (promoted === 'primary') existing.role = 'primary';
    return rest.map((o) => (o === existing ? { ...existing } : o));
  }
  return [...rest, { kind: to.kind, ref: to.ref, role: promoted }];
}
