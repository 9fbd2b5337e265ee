import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  copyWorkflow,
  createWorkflow,
  getWorkflow,
  listWorkflowVersions,
  listWorkflows,
  markDefaultWorkflow,
  publishWorkflowVersion,
  simulateTenantWorkflow,
  type WorkflowSummary,
  type WorkflowVersionEntry,
  type WorkflowVersionView,
} from '../../core/definitions/index.ts';
import type { AppEnv } from '../app-env.ts';
import { definitionProblem } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, pageOf, problemResponses } from '../openapi/index.ts';

// Workflows are data admins own; everyone with a key may read and simulate them.
const EDITORS = ['admin'] as const;

const WorkflowDefinition = z
  .record(z.string(), z.unknown())
  .openapi('WorkflowDefinition', {
    description:
      'A status workflow: `id`, `name`, `initial`, `states` ({ id, label, category: not_started | active | done | cancelled }) and ' +
      '`transitions` ({ from: state id | [ids] | "*", to, name?, event?, guard?: json-rules-engine condition, requires?: { verification?, approval? }, emits?, system? }). ' +
      '`version` may be omitted; it is assigned. Problems answer 422 with one entry per issue, located by path.',
    example: {
      id: 'site-work',
      name: 'Site work',
      initial: 'planned',
      states: [
        { id: 'planned', label: 'Planned', category: 'not_started' },
        { id: 'on_site', label: 'On site', category: 'active' },
        { id: 'done', label: 'Done', category: 'done' },
      ],
      transitions: [
        { from: 'planned', to: 'on_site', event: 'start' },
        { from: 'on_site', to: 'done', event: 'finish', guard: { all: [{ fact: 'percentComplete', operator: 'equal', value: 100 }] } },
      ],
    },
  });

const WorkflowSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().optional(),
    latestVersion: z.number().int(),
    isDefault: z.boolean(),
    builtIn: z.boolean(),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .openapi('WorkflowSummary');

const WorkflowVersionSchema = WorkflowSummarySchema.extend({
  version: z.number().int(),
  workflow: WorkflowDefinition,
  warnings: z.array(z.object({ code: z.string(), message: z.string(), stateId: z.string().optional() })),
}).openapi('WorkflowVersion');

const VersionEntrySchema = z
  .object({ version: z.number().int(), name: z.string(), createdAt: z.string().optional(), createdBy: z.string().optional() })
  .openapi('WorkflowVersionEntry');

const summaryOut = (s: WorkflowSummary): z.infer<typeof WorkflowSummarySchema> => ({
  id: s.id,
  name: s.name,
  ...(s.description === undefined ? {} : { description: s.description }),
  latestVersion: s.latestVersion,
  isDefault: s.isDefault,
  builtIn: s.builtIn,
  ...(s.createdAt ? { createdAt: s.createdAt.toISOString() } : {}),
  ...(s.updatedAt ? { updatedAt: s.updatedAt.toISOString() } : {}),
});

const versionOut = (v: WorkflowVersionView): z.infer<typeof WorkflowVersionSchema> => ({
  ...summaryOut(v),
  version: v.version,
  workflow: v.workflow,
  warnings: v.warnings,
});

const entryOut = (e: WorkflowVersionEntry): z.infer<typeof VersionEntrySchema> => ({
  version: e.version,
  name: e.name,
  ...(e.createdAt ? { createdAt: e.createdAt.toISOString() } : {}),
  ...(e.createdBy === undefined ? {} : { createdBy: e.createdBy }),
});

const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
});

const VersionQuery = z.object({ version: z.coerce.number().int().positive().optional() });

const TransitionContextSchema = z
  .object({
    verified: z.boolean().optional(),
    approved: z.boolean().optional(),
    actor: z.enum(['user', 'system']).optional(),
    dependencies: z
      .object({
        allowed: z.boolean(),
        blockers: z.array(z.object({ dependsOn: z.string(), type: z.string(), reason: z.string(), message: z.string() }).strict()).max(100),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi('SimulationContext');

const StepSchema = z.union([
  z.string().min(1).max(100),
  z
    .object({
      event: z.string().min(1).max(100).optional(),
      to: z.string().min(1).max(100).optional(),
      set: z.record(z.string(), z.unknown()).optional(),
      context: TransitionContextSchema.optional(),
    })
    .strict(),
]);

const SimulateBody = z
  .object({
    version: z.number().int().positive().optional(),
    milestone: z
      .object({ status: z.string().min(1).max(100).optional(), attributes: z.record(z.string(), z.unknown()).optional() })
      .strict()
      .optional(),
    steps: z.array(StepSchema).min(1).max(500),
    context: TransitionContextSchema.optional(),
    stopOnRefusal: z.boolean().optional(),
  })
  .strict()
  .openapi('SimulateWorkflow', {
    example: {
      milestone: { attributes: { percentComplete: 0 } },
      steps: ['start', { event: 'submit', set: { percentComplete: 100 } }, { event: 'verify', context: { verified: true } }],
    },
  });

const SimulationSchema = z
  .object({
    workflow: z.object({ id: z.string(), version: z.number().int() }),
    path: z.array(z.string()),
    steps: z.array(
      z.object({
        index: z.number().int(),
        request: z.object({ to: z.string().optional(), event: z.string().optional() }).optional(),
        from: z.string(),
        outcome: z.enum(['moved', 'refused', 'updated']),
        to: z.string(),
        events: z.array(z.string()),
        refusal: z.object({ code: z.string(), status: z.number().int(), message: z.string() }).passthrough().optional(),
      }),
    ),
    final: z.object({ status: z.string(), attributes: z.record(z.string(), z.unknown()) }),
    completed: z.boolean(),
  })
  .openapi('WorkflowSimulation');

const CopyBody = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().trim().min(1).max(200).optional(),
    version: z.number().int().positive().optional(),
  })
  .strict()
  .openapi('CopyWorkflow', { example: { id: 'site-work', name: 'Site work' } });

const tags = ['workflows'];
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const list = createRoute({
  method: 'get',
  path: '/v1/workflows',
  tags,
  summary: 'List workflows: the built-in one (id default) first, then the tenant’s',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { query: PageQuery },
  responses: { 200: { description: 'Workflows', ...json(pageOf(WorkflowSummarySchema)) }, ...problemResponses(400, 401) },
});

const create = createRoute({
  method: 'post',
  path: '/v1/workflows',
  tags,
  summary: 'Create a workflow at version 1 (admin)',
  security: bearerSecurity,
  middleware: [requireAuth(...EDITORS)] as const,
  request: { body: { required: true, ...json(WorkflowDefinition) } },
  responses: {
    201: { description: 'Created, with any warnings (unreachable states, dead ends)', ...json(WorkflowVersionSchema) },
    ...problemResponses(400, 401, 403, 409, 415, 422),
  },
});

const get = createRoute({
  method: 'get',
  path: '/v1/workflows/{id}',
  tags,
  summary: 'A workflow at its latest version, or ?version=',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam, query: VersionQuery },
  responses: { 200: { description: 'The workflow', ...json(WorkflowVersionSchema) }, ...problemResponses(400, 401, 404) },
});

const versions = createRoute({
  method: 'get',
  path: '/v1/workflows/{id}/versions',
  tags,
  summary: 'Published versions of a workflow, newest first',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam, query: PageQuery },
  responses: { 200: { description: 'Versions', ...json(pageOf(VersionEntrySchema)) }, ...problemResponses(400, 401, 404) },
});

const publish = createRoute({
  method: 'post',
  path: '/v1/workflows/{id}/versions',
  tags,
  summary: 'Publish the next version of a workflow (admin); published versions never change',
  description: 'A `version` in the body, when given, must be the next one; an already published number answers 409.',
  security: bearerSecurity,
  middleware: [requireAuth(...EDITORS)] as const,
  request: { params: IdParam, body: { required: true, ...json(WorkflowDefinition) } },
  responses: {
    201: { description: 'Published', ...json(WorkflowVersionSchema) },
    ...problemResponses(400, 401, 403, 404, 409, 415, 422),
  },
});

const markDefault = createRoute({
  method: 'post',
  path: '/v1/workflows/{id}/default',
  tags,
  summary: 'Make a workflow the tenant’s default for new milestones (admin)',
  description: 'Marking `default` (the built-in workflow) clears the tenant’s own default.',
  security: bearerSecurity,
  middleware: [requireAuth(...EDITORS)] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'Now the default', ...json(WorkflowSummarySchema) }, ...problemResponses(401, 403, 404) },
});

const copy = createRoute({
  method: 'post',
  path: '/v1/workflows/{id}/copy',
  tags,
  summary: 'Copy a workflow (the built-in one included) into a new workflow of the tenant (admin)',
  security: bearerSecurity,
  middleware: [requireAuth(...EDITORS)] as const,
  request: { params: IdParam, body: { required: true, ...json(CopyBody) } },
  responses: { 201: { description: 'Created', ...json(WorkflowVersionSchema) }, ...problemResponses(400, 401, 403, 404, 409, 415, 422) },
});

const simulate = createRoute({
  method: 'post',
  path: '/v1/workflows/{id}/simulate',
  tags,
  summary: 'Play steps against a sample milestone and return the path taken; writes nothing',
  description:
    'Each step is an event or state id, or `{ event?, to?, set?, context? }`: `set` changes attributes first, `context` ' +
    'supplies what the workflow cannot know (verified, approved, dependencies). Refused steps leave the milestone where it was.',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam, body: { required: true, ...json(SimulateBody) } },
  responses: { 200: { description: 'The path taken', ...json(SimulationSchema) }, ...problemResponses(400, 401, 404, 415) },
});

export function registerWorkflowRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const page = await listWorkflows(c.get('db'), { ...(limit === undefined ? {} : { limit }), cursor: cursor ?? null });
    return c.json({ items: page.items.map(summaryOut), nextCursor: page.nextCursor }, 200);
  });
  app.openapi(create, async (c) => {
    const result = await createWorkflow(c.get('db'), c.req.valid('json'), { createdBy: c.get('auth').key._id });
    if (!result.ok) throw definitionProblem(result.error);
    return c.json(versionOut(result.value), 201);
  });
  app.openapi(get, async (c) => {
    const { id } = c.req.valid('param');
    const { version } = c.req.valid('query');
    const result = await getWorkflow(c.get('db'), id, version);
    if (!result.ok) throw definitionProblem(result.error);
    return c.json(versionOut(result.value), 200);
  });
  app.openapi(versions, async (c) => {
    const { id } = c.req.valid('param');
    const { limit, cursor } = c.req.valid('query');
    const result = await listWorkflowVersions(c.get('db'), id, { ...(limit === undefined ? {} : { limit }), cursor: cursor ?? null });
    if (!result.ok) throw definitionProblem(result.error);
    return c.json({ items: result.value.items.map(entryOut), nextCursor: result.value.nextCursor }, 200);
  });
  app.openapi(publish, async (c) => {
    const { id } = c.req.valid('param');
    const result = await publishWorkflowVersion(c.get('db'), id, c.req.valid('json'), { createdBy: c.get('auth').key._id });
    if (!result.ok) throw definitionProblem(result.error);
    return c.json(versionOut(result.value), 201);
  });
  app.openapi(markDefault, async (c) => {
    const { id } = c.req.valid('param');
    const result = await markDefaultWorkflow(c.get('db'), id, c.get('services').now());
    if (!result.ok) throw definitionProblem(result.error);
    return c.json(summaryOut(result.value), 200);
  });
  app.openapi(copy, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const result = await copyWorkflow(c.get('db'), id, body, { createdBy: c.get('auth').key._id });
    if (!result.ok) throw definitionProblem(result.error);
    return c.json(versionOut(result.value), 201);
  });
  app.openapi(simulate, async (c) => {
    const { id } = c.req.valid('param');
    const result = await simulateTenantWorkflow(c.get('db'), id, c.req.valid('json'));
    if (!result.ok) throw definitionProblem(result.error);
    return c.json(result.value, 200);
  });
}
