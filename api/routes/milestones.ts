import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { BUILT_IN_WORKFLOW_ID, getWorkflowForMilestone } from '../../core/definitions/index.ts';
import { listAuditEntries } from '../../core/audit-log/index.ts';
import {
  bulkUpdateInputSchema,
  bulkUpdateMilestones,
  checkMilestoneFilter,
  createMilestone,
  deleteMilestone,
  duplicateMilestone,
  duplicateMilestoneInputSchema,
  listMilestones,
  MILESTONE_KINDS,
  migrateMilestoneWorkflow,
  migrateWorkflowInputSchema,
  milestoneInputSchema,
  milestonesCollection,
  milestonePatchSchema,
  updateMilestone,
} from '../../core/milestones/index.ts';
import { DEFAULT_WORKFLOW } from '../../core/workflow/index.ts';
import type { AppEnv } from '../app-env.ts';
import { expectedVersion, jsonOut, milestoneOut, milestonesOut, requestContext, setVersionTag, tenantToday, unwrap, visibleMilestone } from '../domain/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, pageOf, problemResponses } from '../openapi/index.ts';

const WRITERS = ['admin', 'manager', 'integration'] as const;

/** A milestone as the API answers with it. */
export const MilestoneSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    parentId: z.string().optional(),
    kind: z.enum(MILESTONE_KINDS),
    title: z.string(),
    status: z.string(),
    statusCategory: z.string(),
    tags: z.array(z.string()),
    percentComplete: z.number(),
    plannedStart: z.string().optional(),
    dueDate: z.string().optional(),
    payment: z.object({ amount: z.number().int().optional(), percent: z.number().optional(), value: z.number().int().optional() }).loose().optional(),
    owners: z.array(z.object({ kind: z.string(), ref: z.string(), role: z.string() })),
    dependencies: z.array(z.object({ on: z.string(), type: z.string() }).loose()),
    workflow: z.object({ id: z.string(), version: z.number().int() }),
    overdue: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .loose()
  .openapi('Milestone');

const IfMatch = z.object({ 'if-match': z.string().max(40).optional().openapi({ description: 'The version you read; a stale one answers 409' }) });

const ListQuery = z.object({
  projectId: z.string().max(64).optional(),
  parentId: z.string().max(64).optional(),
  kind: z.enum(MILESTONE_KINDS).optional(),
  status: z.string().max(1000).optional().openapi({ description: 'One status, or several separated by commas' }),
  owner: z.string().max(120).optional().openapi({ description: 'A person id, team:<name> or department:<name>' }),
  tag: z.union([z.string().max(50), z.array(z.string().max(50)).max(20)]).optional().openapi({ description: 'Repeat for several; all must be present' }),
  dueBefore: z.string().max(10).optional().openapi({ description: 'YYYY-MM-DD, exclusive' }),
  dueAfter: z.string().max(10).optional().openapi({ description: 'YYYY-MM-DD, exclusive' }),
  overdue: z.enum(['true', 'false']).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(500).optional(),
});

const create = createRoute({
  method: 'post',
  path: '/v1/milestones',
  tags: ['milestones'],
  summary: 'Create a phase, milestone or sub-milestone',
  security: bearerSecurity,
  middleware: [requireAuth(...WRITERS)] as const,
  request: { body: { required: true, content: { 'application/json': { schema: milestoneInputSchema } } } },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: MilestoneSchema } } },
    ...problemResponses(400, 401, 403, 415, 422),
  },
});

const list = createRoute({
  method: 'get',
  path: '/v1/milestones',
  tags: ['milestones'],
  summary: 'List milestones with filters, a page at a time',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { query: ListQuery },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: pageOf(MilestoneSchema) } } }, ...problemResponses(400, 401, 422) },
});

const get = createRoute({
  method: 'get',
  path: '/v1/milestones/{id}',
  tags: ['milestones'],
  summary: 'One milestone',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'The milestone', content: { 'application/json': { schema: MilestoneSchema } } }, ...problemResponses(401, 404) },
});

const patch = createRoute({
  method: 'patch',
  path: '/v1/milestones/{id}',
  tags: ['milestones'],
  summary: 'Change a milestone; If-Match or version makes it conditional',
  security: bearerSecurity,
  middleware: [requireAuth(...WRITERS)] as const,
  request: {
    params: IdParam,
    headers: IfMatch,
    body: {
      required: true,
      content: {
        'application/json': { schema: milestonePatchSchema },
        'application/merge-patch+json': { schema: milestonePatchSchema },
      },
    },
  },
  responses: {
    200: { description: 'Changed', content: { 'application/json': { schema: MilestoneSchema } } },
    ...problemResponses(400, 401, 403, 404, 409, 415, 422),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/v1/milestones/{id}',
  tags: ['milestones'],
  summary: 'Delete a milestone (kept in history); refused while others hang on it or once it is done',
  security: bearerSecurity,
  middleware: [requireAuth(...WRITERS)] as const,
  request: { params: IdParam, headers: IfMatch },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409) },
});

const duplicate = createRoute({
  method: 'post',
  path: '/v1/milestones/{id}/duplicate',
  tags: ['milestones'],
  summary: 'Copy a milestone, with what sits under it by default',
  security: bearerSecurity,
  middleware: [requireAuth(...WRITERS)] as const,
  request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: duplicateMilestoneInputSchema } } } },
  responses: {
    201: { description: 'The copy', content: { 'application/json': { schema: z.object({ milestone: MilestoneSchema, created: z.number().int() }) } } },
    ...problemResponses(400, 401, 403, 404, 422),
  },
});

const migrate = createRoute({
  method: 'post',
  path: '/v1/milestones/{id}/migrate-workflow',
  tags: ['milestones'],
  summary: 'Move a milestone to another workflow version, mapping its status',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { params: IdParam, headers: IfMatch, body: { required: true, content: { 'application/json': { schema: migrateWorkflowInputSchema } } } },
  responses: { 200: { description: 'Migrated', content: { 'application/json': { schema: MilestoneSchema } } }, ...problemResponses(400, 401, 403, 404, 409, 422) },
});

const history = createRoute({
  method: 'get',
  path: '/v1/milestones/{id}/history',
  tags: ['milestones'],
  summary: "The milestone's audit history: who changed what, when and through which channel",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam, query: z.object({ limit: z.coerce.number().int().min(1).max(1000).optional(), cursor: z.string().max(500).optional() }) },
  responses: {
    200: {
      description: 'Entries, oldest first',
      content: {
        'application/json': {
          schema: pageOf(
            z
              .object({
                id: z.string(),
                seq: z.number().int(),
                at: z.string(),
                action: z.string(),
                actor: z.object({ kind: z.string(), id: z.string() }).loose(),
                changes: z.array(z.object({ path: z.string(), from: z.unknown().optional(), to: z.unknown().optional() })),
                hash: z.string(),
                prevHash: z.string(),
              })
              .loose()
              .openapi('AuditEntry'),
          ),
        },
      },
    },
    ...problemResponses(401, 404),
  },
});

const bulk = createRoute({
  method: 'post',
  path: '/v1/milestones/bulk',
  tags: ['milestones'],
  summary: 'Set fields on every milestone matching a filter, with a result per milestone',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: bulkUpdateInputSchema } } } },
  responses: {
    200: {
      description: 'One result per matched milestone',
      content: {
        'application/json': {
          schema: z.object({
            matched: z.number().int(),
            updated: z.number().int(),
            unchanged: z.number().int(),
            failed: z.number().int(),
            items: z.array(z.object({ id: z.string(), ok: z.boolean() }).loose()),
          }),
        },
      },
    },
    ...problemResponses(400, 401, 403, 422),
  },
});

/** Statuses a list may filter on: the tenant's current default workflow's and the built-in one's. */
async function knownStatuses(c: Parameters<typeof requestContext>[0]): Promise<string[]> {
  const current = await getWorkflowForMilestone(c.get('db'));
  const states = new Set(current.workflow.states.map((s) => s.id));
  if (current.id !== BUILT_IN_WORKFLOW_ID) for (const s of DEFAULT_WORKFLOW.states) states.add(s.id);
  return [...states];
}

/**
 * A list item with its top-level dates already as the strings JSON gives them (`Date#toJSON`:
 * ISO 8601, null when invalid): JSON.stringify calling toJSON for every date of a page costs about
 * as much as serialising the rest of it. The item is the caller's own, fresh view.
 */
function withIsoDates<T extends object>(item: T): T {
  const fields = item as Record<string, unknown>;
  for (const k of Object.keys(fields)) {
    const v = fields[k];
    if (v instanceof Date) fields[k] = Number.isFinite(v.getTime()) ? v.toISOString() : null;
  }
  return item;
}

export function registerMilestoneRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(create, async (c) => {
    const doc = unwrap(await createMilestone(requestContext(c), c.req.valid('json')));
    setVersionTag(c, doc.revision);
    return c.json(await milestoneOut(c, doc), 201);
  });

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const tags = q.tag === undefined ? [] : Array.isArray(q.tag) ? q.tag : q.tag.split(',');
    const filter = {
      projectId: q.projectId,
      parentId: q.parentId,
      kind: q.kind,
      status: q.status === undefined ? undefined : q.status.split(',').map((s) => s.trim()).filter(Boolean),
      owner: q.owner,
      tags: tags.map((t) => t.trim()).filter(Boolean),
      dueBefore: q.dueBefore,
      dueAfter: q.dueAfter,
      overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
      q: q.q,
    };
    const issues = checkMilestoneFilter(filter, filter.status ? await knownStatuses(c) : []);
    if (issues.length > 0) throw new ApiError('unprocessable', { detail: issues[0]!.message, errors: issues });
    const page = await listMilestones(c.get('db'), filter, { today: tenantToday(c), role: c.get('auth').role, limit: q.limit, cursor: q.cursor });
    const items = (await milestonesOut(c, page.items, page.contractValues)).map(withIsoDates);
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  });

  app.openapi(get, async (c) => {
    const doc = await visibleMilestone(c, c.req.valid('param').id);
    setVersionTag(c, doc.revision);
    return c.json(await milestoneOut(c, doc), 200);
  });

  app.openapi(patch, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    const body = c.req.valid('json');
    const doc = unwrap(await updateMilestone(requestContext(c), id, body, { expectedVersion: expectedVersion(c, body.version) }));
    setVersionTag(c, doc.revision);
    return c.json(await milestoneOut(c, doc), 200);
  });

  app.openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    unwrap(await deleteMilestone(requestContext(c), id, { expectedVersion: expectedVersion(c) }));
    return c.body(null, 204);
  });

  app.openapi(duplicate, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    const copied = unwrap(await duplicateMilestone(requestContext(c), id, c.req.valid('json') ?? {}));
    return c.json({ milestone: await milestoneOut(c, copied.root), created: copied.created }, 201);
  });

  app.openapi(migrate, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    const body = c.req.valid('json');
    const doc = unwrap(await migrateMilestoneWorkflow(requestContext(c), id, body, { expectedVersion: expectedVersion(c, body.expectedVersion) }));
    setVersionTag(c, doc.revision);
    return c.json(await milestoneOut(c, doc), 200);
  });

  app.openapi(history, async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    // Deleted milestones keep their history; visibility still applies while they live.
    const live = await c.get('db').collection(milestonesCollection).findById(id);
    if (!live) throw new ApiError('not_found', { detail: 'No such milestone' });
    if (!live.deletedAt) await visibleMilestone(c, id);
    const page = await listAuditEntries(c.get('db'), { aggregateId: id, limit: q.limit, cursor: q.cursor });
    const items = page.items.map((e) => ({
      id: e._id,
      seq: e.seq,
      at: e.at,
      action: e.action,
      actor: e.actor,
      aggregate: e.aggregate,
      changes: e.changes,
      ...(e.data ? { data: e.data } : {}),
      prevHash: e.prevHash,
      hash: e.hash,
    }));
    return c.json({ items: jsonOut(items), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(bulk, async (c) => {
    const result = unwrap(await bulkUpdateMilestones(requestContext(c), c.req.valid('json'), { role: c.get('auth').role, today: tenantToday(c) }));
    return c.json(result, 200);
  });
}
