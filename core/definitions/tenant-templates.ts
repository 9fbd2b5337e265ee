import { DuplicateKeyError, type TenantStore } from '../store/index.ts';
import {
  expandTemplate,
  getRegion,
  getTemplate,
  listRegions,
  listTemplates,
  planFromTemplate,
  validateTemplate,
  type Complexity,
  type PlannedItem,
  type Template,
  type TemplateSummary,
} from '../templates/index.ts';
import { tenantTemplatesCollection } from './collections.ts';
import { fail, invalid, ok, type DefinitionIssue, type DefinitionResult } from './definition-result.ts';
import { findUnstorableKeys } from './find-unstorable-keys.ts';
import { findTemplate, type TemplateSource } from './get-template-for-tenant.ts';

/** A template as a picker lists it, with where it comes from. */
export type TemplateListItem = TemplateSummary & { source: TemplateSource };

/** Summarises a template the way `listTemplates` does for shipped ones. */
export function summariseTemplate(template: Template): TemplateSummary {
  const expanded = expandTemplate({ template });
  const shippedRegions = listRegions()
    .filter((region) => region.industries.includes('*') || region.industries.includes(template.industry))
    .map((region) => region.code);
  return {
    id: template.id,
    name: template.name,
    industry: template.industry,
    complexity: template.complexity,
    description: template.description,
    milestoneCount: expanded.ok ? expanded.milestones.filter((m) => m.kind === 'milestone').length : 0,
    regions: [...new Set([...shippedRegions, ...template.regions.map((region) => region.code)])].sort(),
  };
}

/** Shipped templates and the tenant's own, in id order. */
export async function listTemplatesForTenant(db: TenantStore): Promise<TemplateListItem[]> {
  const own = await db.collection(tenantTemplatesCollection).find({});
  const items: TemplateListItem[] = [
    ...listTemplates().map((summary) => ({ ...summary, source: 'shipped' as const })),
    ...own.map((doc) => ({ ...summariseTemplate(doc.template), source: 'tenant' as const })),
  ];
  return items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function checkTemplate(input: unknown): DefinitionResult<Template> {
  const result = validateTemplate(input);
  if (!result.ok) return invalid(result.errors.map((issue) => ({ path: issue.path, message: issue.message, code: issue.code })));
  const unstorable = findUnstorableKeys(result.template);
  return unstorable.length > 0 ? invalid(unstorable) : ok(result.template);
}

const shippedReadOnly = (id: string) => fail<never>('read_only', `'${id}' is a shipped template and cannot change; store a copy under another id`);

/** Stores a tenant template, validated like shipped ones. Its id may not name a shipped template. */
export async function createTenantTemplate(db: TenantStore, input: unknown, options: { createdBy?: string } = {}): Promise<DefinitionResult<Template>> {
  const checked = checkTemplate(input);
  if (!checked.ok) return checked;
  const template = checked.value;
  if (getTemplate(template.id)) return fail('already_exists', `'${template.id}' is the id of a shipped template; choose another id`);
  try {
    await db.collection(tenantTemplatesCollection).insert({
      templateId: template.id,
      template,
      ...(options.createdBy === undefined ? {} : { createdBy: options.createdBy }),
    });
  } catch (err) {
    if (err instanceof DuplicateKeyError) return fail('already_exists', `a template '${template.id}' already exists`);
    throw err;
  }
  return ok(template);
}

/** Replaces a tenant template. Projects already planned from it keep their milestones. */
export async function replaceTenantTemplate(db: TenantStore, id: string, input: unknown): Promise<DefinitionResult<Template>> {
  if (getTemplate(id)) return shippedReadOnly(id);
  const checked = checkTemplate(input);
  if (!checked.ok) return checked;
  if (checked.value.id !== id) return invalid([{ path: 'id', message: `this template's id is '${id}'` }]);
  const updated = await db.collection(tenantTemplatesCollection).updateOne({ templateId: id }, { $set: { template: checked.value } });
  return updated ? ok(checked.value) : fail('not_found', `no template '${id}'`);
}

/** Deletes a tenant template; shipped ones are read-only. */
export async function deleteTenantTemplate(db: TenantStore, id: string): Promise<DefinitionResult<true>> {
  if (getTemplate(id)) return shippedReadOnly(id);
  const deleted = await db.collection(tenantTemplatesCollection).deleteOne({ templateId: id });
  return deleted ? ok(true) : fail('not_found', `no template '${id}'`);
}

/** Options for {@link previewTemplate}. */
export interface PreviewOptions {
  startDate: string;
  contractValue: number;
  scale?: number;
  region?: string;
  complexity?: Complexity;
}

/** A dated, priced plan that was not written anywhere. */
export interface TemplatePreview {
  templateId: string;
  source: TemplateSource;
  complexity: Complexity;
  scale: number;
  region?: string;
  totals: { phases: number; milestones: number; subMilestones: number; payments: number; amount: number; start?: string; finish?: string };
  items: readonly PlannedItem[];
}

/**
 * Plans a project from a template without writing anything: the same working-day dates and
 * exact paise split `apply-template` would create.
 */
export async function previewTemplate(db: TenantStore, id: string, options: PreviewOptions): Promise<DefinitionResult<TemplatePreview>> {
  const found = await findTemplate(db, id);
  if (!found) return fail('not_found', `no template '${id}'`);
  const { template, source } = found;
  const region = options.region === undefined ? undefined : getRegion(options.region, template);
  if (options.region !== undefined && region === undefined) {
    return invalid([{ path: 'region', message: `no region '${options.region}'; see GET /v1/regions` }], 'invalid_options');
  }
  const complexity = options.complexity ?? template.complexity;
  const scale = options.scale ?? 1;
  const plan = planFromTemplate({ template, region, complexity, scale, startDate: options.startDate, contractValue: options.contractValue });
  if (!plan.ok) {
    const issues: DefinitionIssue[] = plan.errors.map((issue) => ({ path: issue.path, message: issue.message, code: issue.code }));
    return invalid(issues, 'invalid_options');
  }
  let phases = 0;
  let milestones = 0;
  let subMilestones = 0;
  let payments = 0;
  let amount = 0;
  let start: string | undefined;
  let finish: string | undefined;
  for (const item of plan.milestones) {
    if (item.kind === 'phase') phases++;
    else if (item.kind === 'milestone') milestones++;
    else subMilestones++;
    if (item.kind !== 'phase' && item.payment) {
      payments++;
      amount += item.payment.amount;
    }
    if (start === undefined || item.plannedStart < start) start = item.plannedStart;
    if (finish === undefined || item.dueDate > finish) finish = item.dueDate;
  }
  return ok({
    templateId: template.id,
    source,
    complexity,
    scale,
    ...(region === undefined ? {} : { region: region.code }),
    totals: { phases, milestones, subMilestones, payments, amount, ...(start === undefined ? {} : { start }), ...(finish === undefined ? {} : { finish }) },
    items: plan.milestones,
  });
}
