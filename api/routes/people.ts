import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { createDelegation, delegationInputSchema, listDelegations, ownerWorkload } from '../../core/ownership/index.ts';
import { createPerson, deletePerson, getPerson, listPeople, personInputSchema, personPatchSchema, personView, PERSON_CHANNELS, updatePerson } from '../../core/people/index.ts';
import type { AppEnv } from '../app-env.ts';
import { expectedVersion, jsonOut, requestContext, setVersionTag, unwrap } from '../domain/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, pageOf, problemResponses } from '../openapi/index.ts';

const WRITERS = ['admin', 'manager', 'integration'] as const;

const PersonSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().optional(),
    phone: z.string().optional(),
    whatsapp: z.string().optional(),
    channels: z.array(z.enum(PERSON_CHANNELS)),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .loose()
  .openapi('Person');

/** A delegation as the API answers with it. */
export const DelegationSchema = z
  .object({ id: z.string(), from: z.string(), to: z.string(), milestoneId: z.string().optional(), start: z.string(), end: z.string(), revokedAt: z.string().optional() })
  .loose()
  .openapi('Delegation');

const IfMatch = z.object({ 'if-match': z.string().max(40).optional() });

const create = createRoute({
  method: 'post',
  path: '/v1/people',
  tags: ['people'],
  summary: 'Add a person who owns, approves or hears about milestones',
  security: bearerSecurity,
  middleware: [requireAuth(...WRITERS)] as const,
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: personInputSchema } },
    },
  },
  responses: { 201: { description: 'Created', content: { 'application/json': { schema: PersonSchema } } }, ...problemResponses(400, 401, 403, 415, 422) },
});

const list = createRoute({
  method: 'get',
  path: '/v1/people',
  tags: ['people'],
  summary: 'List people',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: {
    query: z.object({
      team: z.string().max(100).optional(),
      department: z.string().max(100).optional(),
      managerId: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(500).optional(),
      cursor: z.string().max(500).optional(),
    }),
  },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: pageOf(PersonSchema) } } }, ...problemResponses(400, 401) },
});

const get = createRoute({
  method: 'get',
  path: '/v1/people/{id}',
  tags: ['people'],
  summary: 'One person',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'The person', content: { 'application/json': { schema: PersonSchema } } }, ...problemResponses(401, 404) },
});

const patch = createRoute({
  method: 'patch',
  path: '/v1/people/{id}',
  tags: ['people'],
  summary: 'Change a person; null clears a field',
  security: bearerSecurity,
  middleware: [requireAuth(...WRITERS)] as const,
  request: {
    params: IdParam,
    headers: IfMatch,
    body: { required: true, content: { 'application/json': { schema: personPatchSchema }, 'application/merge-patch+json': { schema: personPatchSchema } } },
  },
  responses: { 200: { description: 'Changed', content: { 'application/json': { schema: PersonSchema } } }, ...problemResponses(400, 401, 403, 404, 409, 415, 422) },
});

const remove = createRoute({
  method: 'delete',
  path: '/v1/people/{id}',
  tags: ['people'],
  summary: 'Remove a person (kept in history)',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { params: IdParam, headers: IfMatch },
  responses: { 204: { description: 'Removed' }, ...problemResponses(401, 403, 404, 409) },
});

const workload = createRoute({
  method: 'get',
  path: '/v1/people/{id}/workload',
  tags: ['people'],
  summary: 'Open milestones a person owns right now (delegations applied), their value and how many are overdue',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The workload',
      content: {
        'application/json': {
          schema: z
            .object({
              owner: z.string(),
              openMilestones: z.number().int(),
              totalValue: z.number().int().openapi({ description: 'Paise' }),
              overdueCount: z.number().int(),
              items: z.array(z.object({ id: z.string(), value: z.number().int(), overdue: z.boolean() }).loose()),
            })
            .loose()
            .openapi('Workload'),
        },
      },
    },
    ...problemResponses(401, 404),
  },
});

const delegate = createRoute({
  method: 'post',
  path: '/v1/people/{id}/delegations',
  tags: ['people'],
  summary: 'Delegate everything this person owns to another person for a period',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: {
    params: IdParam,
    body: { required: true, content: { 'application/json': { schema: delegationInputSchema.omit({ from: true }) } } },
  },
  responses: { 201: { description: 'Delegated', content: { 'application/json': { schema: DelegationSchema } } }, ...problemResponses(400, 401, 403, 404, 422) },
});

const delegations = createRoute({
  method: 'get',
  path: '/v1/people/{id}/delegations',
  tags: ['people'],
  summary: 'Delegations made by or to this person, newest first',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'Delegations', content: { 'application/json': { schema: z.object({ items: z.array(DelegationSchema) }) } } }, ...problemResponses(401, 404) },
});

/** A delegation document as the API shows it. */
export function delegationOut(d: { _id: string; fromPersonId: string; toPersonId: string; milestoneId?: string; start: Date; end: Date; reason?: string; revokedAt?: Date; createdAt: Date }) {
  return jsonOut({
    id: d._id,
    from: d.fromPersonId,
    to: d.toPersonId,
    ...(d.milestoneId ? { milestoneId: d.milestoneId } : {}),
    start: d.start,
    end: d.end,
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.revokedAt ? { revokedAt: d.revokedAt } : {}),
    createdAt: d.createdAt,
  });
}

export function registerPeopleRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(create, async (c) => {
    const doc = unwrap(await createPerson(requestContext(c), c.req.valid('json')));
    setVersionTag(c, doc.revision);
    return c.json(jsonOut(personView(doc)), 201);
  });

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const page = await listPeople(c.get('db'), q);
    return c.json({ items: page.items.map((p) => jsonOut(personView(p))), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(get, async (c) => {
    const doc = await getPerson(c.get('db'), c.req.valid('param').id);
    if (!doc) throw new ApiError('not_found', { detail: 'No such person' });
    setVersionTag(c, doc.revision);
    return c.json(jsonOut(personView(doc)), 200);
  });

  app.openapi(patch, async (c) => {
    const body = c.req.valid('json');
    const doc = unwrap(await updatePerson(requestContext(c), c.req.valid('param').id, body, { expectedVersion: expectedVersion(c, body.version) }));
    setVersionTag(c, doc.revision);
    return c.json(jsonOut(personView(doc)), 200);
  });

  app.openapi(remove, async (c) => {
    unwrap(await deletePerson(requestContext(c), c.req.valid('param').id, { expectedVersion: expectedVersion(c) }));
    return c.body(null, 204);
  });

  app.openapi(workload, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await getPerson(c.get('db'), id))) throw new ApiError('not_found', { detail: 'No such person' });
    return c.json(await ownerWorkload(requestContext(c), id), 200);
  });

  app.openapi(delegate, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await getPerson(c.get('db'), id))) throw new ApiError('not_found', { detail: 'No such person' });
    const doc = unwrap(await createDelegation(requestContext(c), { ...c.req.valid('json'), from: id }));
    return c.json(delegationOut(doc), 201);
  });

  app.openapi(delegations, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await getPerson(c.get('db'), id))) throw new ApiError('not_found', { detail: 'No such person' });
    return c.json({ items: (await listDelegations(c.get('db'), id)).map(delegationOut) }, 200);
  });
}
