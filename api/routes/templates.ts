import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  createTenantTemplate,
  deleteTenantTemplate,
  findTemplate,
  listTemplatesForTenant,
  previewTemplate,
  replaceTenantTemplate,
  type TemplateListItem,
  type TemplatePreview,
} from '../../core/definitions/index.ts';
import { complexityLevels, listRegions, type PlannedItem } from '../../core/templates/index.ts';
import type { AppEnv } from '../app-env.ts';
import { ApiError, definitionProblem } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, problemResponses } from '../openapi/index.ts';

// Templates are data admins own; everyone with a key may browse and preview them.
const EDITORS = ['admin'] as const;

const TemplateDocument = z.record(z.string(), z.unknown()).openapi('TemplateDefinition', {
  description:
    'A project template in the same format as the shipped ones (see core/templates/data/README.md): id, name, industry, ' +
    'description, complexity, phases with milestones, dependencies and payment splits in basis points summing to 10000. ' +
    'Problems answer 422, one entry per issue; an id already taken (shipped or the tenant’s) answers 409.',
});

const TemplateSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    industry: z.string(),
    complexity: z.enum(complexityLevels),
    description: z.string(),
    milestoneCount: z.number().int(),
    regions: z.array(z.string()),
    source: z.enum(['shipped', 'tenant']),
  })
  .openapi('TemplateSummary');

const TemplateSchema = z
  .record(z.string(), z.unknown())
  .openapi('Template', { description: 'The template document in full, with `source`: shipped or tenant' });

const RegionSchema = z.object({ code: z.string(), name: z.string(), industries: z.array(z.string()) }).openapi('Region');

const PreviewQuery = z.object({
  startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date written 'YYYY-MM-DD'" }).openapi({ example: '2025-04-01' }),
  contractValue: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, { error: 'must be a positive whole number of paise (1 rupee = 100 paise)' })
    .transform(Number)
    .refine(Number.isSafeInteger, { error: 'is too large' })
    .openapi({ type: 'string', example: '5000000000', description: 'Integer paise' }),
  scale: z.coerce.number({ error: 'must be a whole number from 1 to 1000' }).int().min(1).max(1000).optional(),
  region: z.string().regex(/^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$/, { error: 'must be an ISO 3166-2 code such as IN-MH' }).optional(),
  complexity: z.enum(complexityLevels).optional(),
});

const PlannedItemSchema = z
  .object({
    kind: z.enum(['phase', 'milestone', 'sub-milestone']),
    key: z.string(),
    parentKey: z.string().optional(),
    sourceKey: z.string(),
    repetition: z.number().int().optional(),
    region: z.string().optional(),
    title: z.string(),
    type: z.string().optional(),
    category: z.string().optional(),
    durationDays: z.number().int().optional(),
    plannedStart: z.string(),
    dueDate: z.string(),
    payment: z.object({ amount: z.number().int(), gstRate: z.number(), hsnSac: z.string() }).optional(),
    dependencies: z.array(z.object({ onKey: z.string(), type: z.string(), lagDays: z.number().int() })).optional(),
    verification: z.string().optional(),
  })
  .openapi('PlannedItem');

const PreviewSchema = z
  .object({
    templateId: z.string(),
    source: z.enum(['shipped', 'tenant']),
    complexity: z.enum(complexityLevels),
    scale: z.number().int(),
    region: z.string().optional(),
    totals: z.object({
      phases: z.number().int(),
      milestones: z.number().int(),
      subMilestones: z.number().int(),
      payments: z.number().int(),
      amount: z.number().int().openapi({ description: 'Sum of payments in paise; always the contract value' }),
      start: z.string().optional(),
      finish: z.string().optional(),
    }),
    items: z.array(PlannedItemSchema),
  })
  .openapi('TemplatePreview');

const summaryOut = (t: TemplateListItem): z.infer<typeof TemplateSummarySchema> => ({ ...t, regions: [...t.regions] });

const itemOut = (item: PlannedItem): z.infer<typeof PlannedItemSchema> =>
  item.kind === 'phase'
    ? { ...item }
    : { ...item, dependencies: item.dependencies.map((d) => ({ ...d })), ...(item.payment ? { payment: { ...item.payment } } : {}) };

const previewOut = (p: TemplatePreview): z.infer<typeof PreviewSchema> => ({ ...p, items: p.items.map(itemOut) });

const tags = ['templates'];
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const list = createRoute({
  method: 'get',
  path: '/v1/templates',
  tags,
  summary: 'List project templates: the shipped ones and the tenant’s own',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  responses: { 200: { description: 'Templates, in id order', ...json(listOf(TemplateSummarySchema)) }, ...problemResponses(401) },
});

const get = createRoute({
  method: 'get',
  path: '/v1/templates/{id}',
  tags,
  summary: 'One template in full',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'The template', ...json(TemplateSchema) }, ...problemResponses(401, 404) },
});

const preview = createRoute({
  method: 'get',
  path: '/v1/templates/{id}/preview',
  tags,
  summary: 'Plan a project from a template without creating anything',
  description: 'Working-day dates and payment amounts in paise that add up exactly to contractValue, as apply-template would create them.',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam, query: PreviewQuery },
  responses: { 200: { description: 'The plan', ...json(PreviewSchema) }, ...problemResponses(400, 401, 404) },
});

const create = createRoute({
  method: 'post',
  path: '/v1/templates',
  tags,
  summary: 'Store a template of the tenant’s own (admin)',
  security: bearerSecurity,
  middleware: [requireAuth(...EDITORS)] as const,
  request: { body: { required: true, ...json(TemplateDocument) } },
  responses: { 201: { description: 'Stored', ...json(TemplateSchema) }, ...problemResponses(400, 401, 403, 409, 415, 422) },
});

const replace = createRoute({
  method: 'put',
  path: '/v1/templates/{id}',
  tags,
  summary: 'Replace a template of the tenant’s own (admin); shipped templates are read-only',
  security: bearerSecurity,
  middleware: [requireAuth(...EDITORS)] as const,
  request: { params: IdParam, body: { required: true, ...json(TemplateDocument) } },
  responses: { 200: { description: 'Replaced', ...json(TemplateSchema) }, ...problemResponses(400, 401, 403, 404, 409, 415, 422) },
});

const remove = createRoute({
  method: 'delete',
  path: '/v1/templates/{id}',
  tags,
  summary: 'Delete a template of the tenant’s own (admin); projects planned from it keep their milestones',
  security: bearerSecurity,
  middleware: [requireAuth(...EDITORS)] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409) },
});

const regions = createRoute({
  method: 'get',
  path: '/v1/regions',
  tags,
  summary: 'Regions with compliance overlays, and the industries they apply to',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  responses: { 200: { description: 'Regions', ...json(listOf(RegionSchema)) }, ...problemResponses(401) },
});

export function registerTemplateRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, async (c) => {
    const items = await listTemplatesForTenant(c.get('db'));
    return c.json({ items: items.map(summaryOut), nextCursor: null }, 200);
  });
  app.openapi(get, async (c) => {
    const { id } = c.req.valid('param');
    const found = await findTemplate(c.get('db'), id);
    if (!found) throw new ApiError('not_found', { detail: `No template '${id}'` });
    return c.json({ ...found.template, source: found.source }, 200);
  });
  app.openapi(preview, async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const result = await previewTemplate(c.get('db'), id, query);
    if (!result.ok) throw definitionProblem(result.error, { at: 'query' });
    return c.json(previewOut(result.value), 200);
  });
  app.openapi(create, async (c) => {
    const result = await createTenantTemplate(c.get('db'), c.req.valid('json'), { createdBy: c.get('auth').key._id });
    if (!result.ok) throw definitionProblem(result.error);
    return c.json({ ...result.value, source: 'tenant' }, 201);
  });
  app.openapi(replace, async (c) => {
    const result = await replaceTenantTemplate(c.get('db'), c.req.valid('param').id, c.req.valid('json'));
    if (!result.ok) throw definitionProblem(result.error);
    return c.json({ ...result.value, source: 'tenant' }, 200);
  });
  app.openapi(remove, async (c) => {
    const result = await deleteTenantTemplate(c.get('db'), c.req.valid('param').id);
    if (!result.ok) throw definitionProblem(result.error);
    return c.body(null, 204);
  });
  app.openapi(regions, (c) => c.json({ items: listRegions().map((r) => ({ ...r, industries: [...r.industries] })), nextCursor: null }, 200));
}
