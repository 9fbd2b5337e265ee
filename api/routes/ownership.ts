import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { createDelegation, delegationInputSchema, effectiveOwners, ownershipHistory, ownerWorkload, reassignInputSchema, reassignOwners, revokeDelegation } from '../../core/ownership/index.ts';
import type { AppEnv } from '../app-env.ts';
import { jsonOut, requestContext, unwrap, visibleMilestone } from '../domain/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, problemResponses } from '../openapi/index.ts';
import { DelegationSchema, delegationOut } from './people.ts';

const reassign = createRoute({
  method: 'post',
  path: '/v1/ownership/reassign',
  tags: ['ownership'],
  summary: 'Move ownership from one owner to another on every matching milestone, with a result per milestone',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: reassignInputSchema } } } },
  responses: {
    200: {
      description: 'One result per matched milestone',
      content: { 'application/json': { schema: z.object({ matched: z.number().int(), updated: z.number().int(), failed: z.number().int(), items: z.array(z.object({ id: z.string(), ok: z.boolean() }).loose()) }) } },
    },
    ...problemResponses(400, 401, 403, 422),
  },
});

const workload = createRoute({
  method: 'get',
  path: '/v1/ownership/workload',
  tags: ['ownership'],
  summary: 'The open workload of any owner: a person id, team:<name> or department:<name>',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { query: z.object({ owner: z.string().min(1).max(120) }) },
  responses: { 200: { description: 'The workload', content: { 'application/json': { schema: z.object({ owner: z.string(), openMilestones: z.number().int(), totalValue: z.number().int(), overdueCount: z.number().int() }).loose() } } }, ...problemResponses(400, 401) },
});

const delegate = createRoute({
  method: 'post',
  path: '/v1/milestones/{id}/delegations',
  tags: ['ownership'],
  summary: 'Delegate one owner’s ownership of this milestone to another person for a period',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: delegationInputSchema } } } },
  responses: { 201: { description: 'Delegated', content: { 'application/json': { schema: DelegationSchema } } }, ...problemResponses(400, 401, 403, 404, 422) },
});

const revoke = createRoute({
  method: 'delete',
  path: '/v1/delegations/{id}',
  tags: ['ownership'],
  summary: 'End a delegation now',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Ended' }, ...problemResponses(401, 403, 404) },
});

const owners = createRoute({
  method: 'get',
  path: '/v1/milestones/{id}/owners',
  tags: ['ownership'],
  summary: 'Owners as assigned, and as in effect now (delegates standing in)',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam, query: z.object({ at: z.string().datetime({ offset: true }).optional() }) },
  responses: {
    200: {
      description: 'Owners',
      content: { 'application/json': { schema: z.object({ owners: z.array(z.object({ kind: z.string(), ref: z.string(), role: z.string() })), effective: z.array(z.object({ kind: z.string(), ref: z.string(), role: z.string() }).loose()) }) } },
    },
    ...problemResponses(400, 401, 404),
  },
});

const history = createRoute({
  method: 'get',
  path: '/v1/milestones/{id}/ownership-history',
  tags: ['ownership'],
  summary: 'Every change of owners and every delegation that covered the milestone',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'Oldest first', content: { 'application/json': { schema: z.object({ items: z.array(z.object({ at: z.string(), kind: z.string() }).loose()) }) } } }, ...problemResponses(401, 404) },
});

export function registerOwnershipRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(reassign, async (c) => {
    return c.json(unwrap(await reassignOwners(requestContext(c), c.req.valid('json'), { role: c.get('auth').role })), 200);
  });

  app.openapi(workload, async (c) => {
    return c.json(await ownerWorkload(requestContext(c), c.req.valid('query').owner), 200);
  });

  app.openapi(delegate, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    const doc = unwrap(await createDelegation(requestContext(c), c.req.valid('json'), { milestoneId: id, role: c.get('auth').role }));
    return c.json(delegationOut(doc), 201);
  });

  app.openapi(revoke, async (c) => {
    unwrap(await revokeDelegation(requestContext(c), c.req.valid('param').id));
    return c.body(null, 204);
  });

  app.openapi(owners, async (c) => {
    const doc = await visibleMilestone(c, c.req.valid('param').id);
    const at = c.req.valid('query').at;
    const effective = await effectiveOwners(c.get('db'), doc, at ? new Date(at) : c.get('services').now());
    return c.json({ owners: doc.owners ?? [], effective: jsonOut(effective) }, 200);
  });

  app.openapi(history, async (c) => {
    const doc = await visibleMilestone(c, c.req.valid('param').id);
    return c.json({ items: jsonOut(await ownershipHistory(c.get('db'), doc)) }, 200);
  });
}
