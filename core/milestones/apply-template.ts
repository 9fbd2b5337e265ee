import { z } from 'zod';
import { validateCustomValues } from '../custom-fields/index.ts';
import { getCustomFieldDefinitions, getTemplateForTenant, getWorkflowForMilestone } from '../definitions/index.ts';
import { failWith, invalid, issuesFromZod, orderedIds, succeed, type DomainContext, type DomainResult } from '../domain/index.ts';
import { getProject } from '../projects/index.ts';
import { complexityLevels, getRegion, planFromTemplate, weekendKinds } from '../templates/index.ts';
import { loadSiblings } from './check-milestone.ts';
import { insertMilestoneBatch, type BatchItem } from './insert-milestone-batch.ts';
import type { MilestoneDraft } from './milestone-draft.ts';

/** What to apply: a template, when to start, and how to size it. */
export const applyTemplateInputSchema = z
  .object({
    templateId: z.string().trim().min(1).max(100),
    startDate: z.string().min(1).max(40),
    scale: z.number().int().min(1).max(10_000).optional(),
    region: z.string().trim().min(2).max(20).optional(),
    complexity: z.enum(complexityLevels).optional(),
    weekend: z.enum(weekendKinds).optional(),
    holidays: z.array(z.string()).max(400).optional(),
    /** Given to every created milestone, for tenants with required custom fields. */
    customFields: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type ApplyTemplateInput = z.input<typeof applyTemplateInputSchema>;

/** What applying a template created. */
export interface AppliedTemplate {
  created: number;
  phases: number;
  milestones: number;
  subMilestones: number;
  /** The sum of the payment amounts, equal to the contract value. */
  paymentTotal: number;
}

/**
 * Creates a project's phases, milestones and sub-milestones from a template (shipped or the
 * tenant's), with working-day dates from `startDate`, dependencies, and payment amounts that add
 * up exactly to the project's contract value in paise (core/templates `planFromTemplate`). One
 * bulk insert, so thousands of milestones take one call. Refused when the project already has
 * payment milestones, since the template's payments take the whole contract value.
 *
 * @example await applyTemplateToProject(ctx, projectId, { templateId: 'construction-residential-building', startDate: '2025-04-01', scale: 4 })
 */
export async function applyTemplateToProject(ctx: DomainContext, projectId: string, input: unknown): Promise<DomainResult<AppliedTemplate>> {
  const parsed = applyTemplateInputSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const body = parsed.data;
  const project = await getProject(ctx.db, projectId);
  if (!project) return failWith({ code: 'not_found', message: 'No such project' });
  if (project.status === 'archived') return invalid([{ path: 'projectId', message: 'the project is archived; restore it first', code: 'project_archived' }]);
  const template = await getTemplateForTenant(ctx.db, body.templateId);
  if (!template) return invalid([{ path: 'templateId', message: `no template '${body.templateId}'`, code: 'unknown_template' }]);
  const region = body.region === undefined ? undefined : getRegion(body.region, template);
  if (body.region !== undefined && !region) return invalid([{ path: 'region', message: `no region '${body.region}' (use codes like IN-MH)`, code: 'unknown_region' }]);
  if (project.contractValue < 1) return invalid([{ path: 'contractValue', message: 'the project needs a contract value to price the template', code: 'no_contract_value' }]);

  const plan = planFromTemplate({
    template,
    region,
    complexity: body.complexity,
    scale: body.scale,
    startDate: body.startDate,
    contractValue: project.contractValue,
    calendar: { weekend: body.weekend, holidays: body.holidays },
  });
  if (!plan.ok) return invalid(plan.errors.map((e) => ({ path: e.path, message: e.message, code: e.code })));

  const siblings = await loadSiblings(ctx.db, projectId);
  if (siblings.some((s) => s.statusCategory !== 'cancelled' && (s.payment?.amount !== undefined || s.payment?.percent !== undefined))) {
    return invalid([{ path: 'templateId', message: "the project already has payment milestones; the template's payments would take the contract value again", code: 'payment_split_over_100' }]);
  }
  let customFields: Record<string, unknown> | undefined;
  const definitions = await getCustomFieldDefinitions(ctx.db, 'milestone');
  if (definitions.length > 0 || body.customFields) {
    const checked = validateCustomValues(body.customFields ?? {}, definitions, { appliesTo: 'milestone' });
    if (!checked.ok) return invalid(checked.error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })));
    customFields = Object.fromEntries(Object.entries(checked.value).filter(([, v]) => v !== null));
    if (Object.keys(customFields).length === 0) customFields = undefined;
  }

  const ids = orderedIds('ms', plan.milestones.length);
  const idOf = new Map<string, string>(plan.milestones.map((row, i) => [row.key, ids[i]!]));
  const items: BatchItem[] = [];
  let paymentTotal = 0;
  const counts = { phase: 0, milestone: 0, 'sub-milestone': 0 };
  for (const row of plan.milestones) {
    counts[row.kind] += 1;
    const id = idOf.get(row.key)!;
    const draft: MilestoneDraft = { projectId, kind: row.kind, title: row.title, tags: [], owners: [], dependencies: [], percentComplete: 0, plannedStart: row.plannedStart, dueDate: row.dueDate };
    if (row.region) draft.region = row.region;
    if (customFields) draft.customFields = customFields;
    if (row.kind !== 'phase') {
      const parentId = idOf.get(row.parentKey);
      if (parentId) draft.parentId = parentId;
      draft.type = row.type;
      draft.category = row.category;
      draft.verificationMethod = row.verification;
      draft.dependencies = row.dependencies.map((d) => ({ on: idOf.get(d.onKey)!, type: d.type, ...(d.lagDays ? { lagDays: d.lagDays } : {}) }));
      if (row.payment) {
        draft.payment = { amount: row.payment.amount, gstRate: row.payment.gstRate, hsnSac: row.payment.hsnSac };
        paymentTotal += row.payment.amount;
      }
    }
    items.push({ id, draft, source: { templateId: template.id, key: row.key } });
  }
  const workflow = await getWorkflowForMilestone(ctx.db);
  const data = { templateId: template.id, startDate: body.startDate, ...(body.scale ? { scale: body.scale } : {}), ...(body.region ? { region: body.region.toUpperCase() } : {}) };
  // The project's entry waits with the milestones' in the same write, so no stop between them loses it.
  await insertMilestoneBatch(ctx, items, {
    workflow,
    data: { createdBy: 'template', ...data },
    also: [{ action: 'project.template_applied', aggregate: { type: 'project', id: projectId }, before: {}, after: {}, data: { ...data, created: items.length, paymentTotal } }],
  });
  return succeed({ created: items.length, phases: counts.phase, milestones: counts.milestone, subMilestones: counts['sub-milestone'], paymentTotal });
}
