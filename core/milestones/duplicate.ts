import { z } from 'zod';
import { getCustomFieldDefinitions, getWorkflowForMilestone } from '../definitions/index.ts';
import { domainEvent, failWith, invalid, orderedIds, succeed, type DomainContext, type DomainResult } from '../domain/index.ts';
import { getProject, insertProject, projectView, type ProjectDoc } from '../projects/index.ts';
import { newId, type TenantStore } from '../store/index.ts';
import { loadSiblings } from './check-milestone.ts';
import { milestonesCollection, type MilestoneDoc } from './collections.ts';
import { checkMilestoneBatch, insertMilestoneBatch, type BatchItem } from './insert-milestone-batch.ts';
import { draftOf, type MilestoneDraft } from './milestone-draft.ts';

/** How to copy a milestone. */
export const duplicateMilestoneInputSchema = z
  .object({
    /** Copy what sits under it too. @default true */
    withChildren: z.boolean().default(true),
    /** @default the original's title with ' (copy)' */
    title: z.string().trim().min(1).max(300).optional(),
    /** Keep payment terms; the project's split must still fit. @default true */
    includePayment: z.boolean().default(true),
  })
  .strict();

/** How to copy a project. */
export const duplicateProjectInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    /** Copy milestones too. @default true */
    withMilestones: z.boolean().default(true),
  })
  .strict();

/**
 * Copies a milestone, and by default everything under it, into the same project: new ids, fresh
 * status (the initial state of the tenant's current workflow), no progress. Dependencies within
 * the copied subtree point at the copies; dependencies on other milestones are kept.
 *
 * @example await duplicateMilestone(ctx, phaseId, { withChildren: true })
 */
export async function duplicateMilestone(ctx: DomainContext, id: string, input: unknown = {}): Promise<DomainResult<{ root: MilestoneDoc; created: number }>> {
  const parsed = duplicateMilestoneInputSchema.safeParse(input ?? {});
  if (!parsed.success) return invalid(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })));
  const { withChildren, title, includePayment } = parsed.data;
  const col = ctx.db.collection(milestonesCollection);
  const original = await col.findOne({ _id: id, deletedAt: { $exists: false } });
  if (!original) return failWith({ code: 'not_found', message: 'No such milestone' });
  const project = await getProject(ctx.db, original.projectId);
  if (!project) return failWith({ code: 'not_found', message: 'No such milestone' });
  const subtree = withChildren ? await collectSubtree(ctx.db, original) : [original];
  const fresh = orderedIds('ms', subtree.length);
  const idOf = new Map(subtree.map((m, i) => [m._id, fresh[i]!]));
  const items: BatchItem[] = subtree.map((m) => {
    const draft = copyDraft(m, idOf, { includePayment });
    if (m._id === original._id) draft.title = title ?? `${original.title} (copy)`;
    return { id: idOf.get(m._id)!, draft };
  });
  const created = await checkAndInsert(ctx, project, items, { createdBy: 'duplicate', duplicateOf: id });
  if (!created.ok) return created;
  return succeed({ root: created.value.find((m) => m._id === idOf.get(id))!, created: created.value.length });
}

/**
 * Copies a project (client, contract, terms) and, by default, all its live milestones with the
 * same structure and dependencies, fresh statuses and no progress. Emits `project.created`.
 */
export async function duplicateProject(ctx: DomainContext, id: string, input: unknown = {}): Promise<DomainResult<{ project: ProjectDoc; created: number }>> {
  const parsed = duplicateProjectInputSchema.safeParse(input ?? {});
  if (!parsed.success) return invalid(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })));
  const original = await getProject(ctx.db, id);
  if (!original) return failWith({ code: 'not_found', message: 'No such project' });
  const newProjectId = newId('prj');
  const { _id: _old, version: _v, createdAt: _c, updatedAt: _u, tenantId: _t, outbox: _o, archivedAt: _a, ...fields } = original;
  const now = ctx.now();
  const copy = { ...fields, _id: newProjectId, revision: 1, name: parsed.data.name ?? `${original.name} (copy)`, status: 'active' as const };
  const event = domainEvent(ctx, 'project.created', { type: 'project', id: newProjectId }, {
    project: projectView({ ...copy, version: 1, createdAt: now, updatedAt: now, outbox: [] }),
    duplicateOf: id,
  });
  const project = await insertProject(ctx, copy, event, { data: { duplicateOf: id } });
  if (!parsed.data.withMilestones) return succeed({ project, created: 0 });
  const milestones = await ctx.db.collection(milestonesCollection).find({ projectId: id, deletedAt: { $exists: false } }, { sort: { _id: 1 }, projection: { outbox: 0, auditOutbox: 0 } });
  const copies = orderedIds('ms', milestones.length);
  const idOf = new Map(milestones.map((m, i) => [m._id, copies[i]!]));
  const items: BatchItem[] = milestones.map((m) => ({ id: idOf.get(m._id)!, draft: { ...copyDraft(m, idOf, { includePayment: true }), projectId: newProjectId } }));
  const created = await checkAndInsert(ctx, project, items, { createdBy: 'duplicate', duplicateOf: id });
  if (!created.ok) return created;
  return succeed({ project, created: created.value.length });
}

async function collectSubtree(db: TenantStore, root: MilestoneDoc): Promise<MilestoneDoc[]> {
  const col = db.collection(milestonesCollection);
  const all = [root];
  let frontier = [root._id];
  while (frontier.length > 0) {
    const children = await col.find({ parentId: { $in: frontier }, deletedAt: { $exists: false } }, { sort: { _id: 1 }, projection: { outbox: 0, auditOutbox: 0 } });
    all.push(...children);
    frontier = children.map((c) => c._id);
  }
  return all;
}

function copyDraft(m: MilestoneDoc, idOf: ReadonlyMap<string, string>, options: { includePayment: boolean }): MilestoneDraft {
  const draft = structuredClone(draftOf(m));
  if (draft.parentId && idOf.has(draft.parentId)) draft.parentId = idOf.get(draft.parentId)!;
  draft.dependencies = (draft.dependencies ?? []).map((d) => ({ ...d, on: idOf.get(d.on) ?? d.on }));
  draft.percentComplete = 0;
  if (!options.includePayment) delete draft.payment;
  return draft;
}

async function checkAndInsert(ctx: DomainContext, project: ProjectDoc, items: BatchItem[], data: Record<string, unknown>): Promise<DomainResult<MilestoneDoc[]>> {
  const workflow = await getWorkflowForMilestone(ctx.db);
  const siblings = await loadSiblings(ctx.db, project._id);
  const definitions = await getCustomFieldDefinitions(ctx.db, 'milestone');
  const checked = await checkMilestoneBatch(ctx, project, items, { siblings, definitions, workflow });
  const issues = [...checked.batch, ...checked.items.flatMap((c, i) => c.issues.map((issue) => ({ ...issue, path: `milestones.${i}.${issue.path}` })))];
  if (issues.length > 0) return invalid(issues, checked.cycle ? { cycle: checked.cycle } : undefined);
  const ready = items.map((item, i) => ({ ...item, draft: checked.items[i]!.draft }));
  return succeed(await insertMilestoneBatch(ctx, ready, { workflow, data }));
}
