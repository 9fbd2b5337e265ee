import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  applyTemplateInputSchema,
  applyTemplateToProject,
  archiveProject,
  duplicateProject,
  duplicateProjectInputSchema,
  projectSchedule,
  updateProject,
} from '../../core/milestones/index.ts';
import { createProject, getProject, listProjects, projectInputSchema, projectPatchSchema, projectView } from '../../core/projects/index.ts';
import type { AppEnv } from '../app-env.ts';
import { expectedVersion, jsonOut, requestContext, setVersionTag, unwrap } from '../domain/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, pageOf, problemResponses } from '../openapi/index.ts';

const WRITERS = ['admin', 'manager', 'integration'] as const;

/** A project as the API answers with it. */
export const ProjectSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    client: z.object({ name: z.string(), gstin: z.string().optional(), stateCode: z.string(), contacts: z.array(z.object({ name: z.string() }).loose()) }).loose(),
    contractValue: z.number().int().openapi({ description: 'Integer paise' }),
    currency: z.literal('INR'),
    timeZone: z.string(),
    status: z.enum(['active', 'archived']),
    tags: z.array(z.string()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .loose()
  .openapi('Project');

const IfMatch = z.object({ 'if-match': z.string().max(40).optional() });

const create = createRoute({
  method: 'post',
  path: '/v1/projects',
  tags: ['projects'],
  summary: 'Create a project; the GSTIN is checked by format, check character and state',
  security: bearerSecurity,
  middleware: [requireAuth(...WRITERS)] as const,
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: projectInputSchema,
        },
      },
    },
  },
  responses: { 201: { description: 'Created', content: { 'application/json': { schema: ProjectSchema } } }, ...problemResponses(400, 401, 403, 415, 422) },
});

const list = createRoute({
  method: 'get',
  path: '/v1/projects',
  tags: ['projects'],
  summary: 'List projects (active ones unless asked)',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: {
    query: z.object({
      status: z.enum(['active', 'archived', 'all']).optional(),
      q: z.string().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(500).optional(),
      cursor: z.string().max(500).optional(),
    }),
  },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: pageOf(ProjectSchema) } } }, ...problemResponses(400, 401) },
});

const get = createRoute({
  method: 'get',
  path: '/v1/projects/{id}',
  tags: ['projects'],
  summary: 'One project',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'The project', content: { 'application/json': { schema: ProjectSchema } } }, ...problemResponses(401, 404) },
});

const patch = createRoute({
  method: 'patch',
  path: '/v1/projects/{id}',
  tags: ['projects'],
  summary: 'Change a project; If-Match or version makes it conditional',
  security: bearerSecurity,
  middleware: [requireAuth(...WRITERS)] as const,
  request: {
    params: IdParam,
    headers: IfMatch,
    body: {
      required: true,
      content: { 'application/json': { schema: projectPatchSchema }, 'application/merge-patch+json': { schema: projectPatchSchema } },
    },
  },
  responses: { 200: { description: 'Changed', content: { 'application/json': { schema: ProjectSchema } } }, ...problemResponses(400, 401, 403, 404, 409, 415, 422) },
});

const remove = createRoute({
  method: 'delete',
  path: '/v1/projects/{id}',
  tags: ['projects'],
  summary: 'Archive a project: it leaves the default list and takes no new milestones; PATCH status active restores it',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { params: IdParam, headers: IfMatch },
  responses: { 204: { description: 'Archived' }, ...problemResponses(401, 403, 404, 409) },
});

const duplicate = createRoute({
  method: 'post',
  path: '/v1/projects/{id}/duplicate',
  tags: ['projects'],
  summary: 'Copy a project with its milestones (fresh statuses, no progress)',
  security: bearerSecurity,
  middleware: [requireAuth(...WRITERS)] as const,
  request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: duplicateProjectInputSchema } } } },
  responses: {
    201: { description: 'The copy', content: { 'application/json': { schema: z.object({ project: ProjectSchema, created: z.number().int() }) } } },
    ...problemResponses(400, 401, 403, 404, 422),
  },
});

const applyTemplate = createRoute({
  method: 'post',
  path: '/v1/projects/{id}/apply-template',
  tags: ['projects'],
  summary: "Create the project's phases, milestones and sub-milestones from a template",
  description: 'Dates are working days from startDate; payment amounts add up exactly to the contract value in paise, the remainder on the last payment milestone.',
  security: bearerSecurity,
  middleware: [requireAuth(...WRITERS)] as const,
  request: {
    params: IdParam,
    body: {
      required: true,
      content: { 'application/json': { schema: applyTemplateInputSchema } },
    },
  },
  responses: {
    201: {
      description: 'Created',
      content: {
        'application/json': {
          schema: z.object({ created: z.number().int(), phases: z.number().int(), milestones: z.number().int(), subMilestones: z.number().int(), paymentTotal: z.number().int() }),
        },
      },
    },
    ...problemResponses(400, 401, 403, 404, 422),
  },
});

const schedule = createRoute({
  method: 'get',
  path: '/v1/projects/{id}/schedule',
  tags: ['projects'],
  summary: 'The critical path and the slack of every milestone',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The schedule, in working days from the start',
      content: {
        'application/json': {
          schema: z
            .object({
              projectId: z.string(),
              startDate: z.string().optional(),
              projectDuration: z.number(),
              criticalPath: z.array(z.string()),
              items: z.array(z.object({ id: z.string(), slack: z.number(), critical: z.boolean() }).loose()),
            })
            .openapi('ProjectSchedule'),
        },
      },
    },
    ...problemResponses(401, 404, 409),
  },
});

export function registerProjectRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(create, async (c) => {
    const doc = unwrap(await createProject(requestContext(c), c.req.valid('json')));
    setVersionTag(c, doc.revision);
    return c.json(jsonOut(projectView(doc)), 201);
  });

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const page = await listProjects(c.get('db'), { status: q.status, q: q.q, limit: q.limit, cursor: q.cursor });
    return c.json({ items: page.items.map((p) => jsonOut(projectView(p))), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(get, async (c) => {
    const doc = await getProject(c.get('db'), c.req.valid('param').id);
    if (!doc) throw new ApiError('not_found', { detail: 'No such project' });
    setVersionTag(c, doc.revision);
    return c.json(jsonOut(projectView(doc)), 200);
  });

  app.openapi(patch, async (c) => {
    const body = c.req.valid('json');
    const doc = unwrap(await updateProject(requestContext(c), c.req.valid('param').id, body, { expectedVersion: expectedVersion(c, body.version) }));
    setVersionTag(c, doc.revision);
    return c.json(jsonOut(projectView(doc)), 200);
  });

  app.openapi(remove, async (c) => {
    unwrap(await archiveProject(requestContext(c), c.req.valid('param').id, { expectedVersion: expectedVersion(c) }));
    return c.body(null, 204);
  });

  app.openapi(duplicate, async (c) => {
    const copied = unwrap(await duplicateProject(requestContext(c), c.req.valid('param').id, c.req.valid('json') ?? {}));
    return c.json({ project: jsonOut(projectView(copied.project)), created: copied.created }, 201);
  });

  app.openapi(applyTemplate, async (c) => {
    const applied = unwrap(await applyTemplateToProject(requestContext(c), c.req.valid('param').id, c.req.valid('json')));
    return c.json(applied, 201);
  });

  app.openapi(schedule, async (c) => {
    const computed = unwrap(await projectSchedule(c.get('db'), c.req.valid('param').id));
    return c.json(computed, 200);
  });
}
