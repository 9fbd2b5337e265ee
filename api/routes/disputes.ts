import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { listDisputes, raiseDispute, raiseDisputeSchema, resolveDispute, resolveDisputeSchema, type DisputeDoc } from '../../core/verification/index.ts';
import type { AppEnv } from '../app-env.ts';
import { jsonOut, milestoneOut, requestContext, unwrap, visibleMilestone } from '../domain/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { bearerSecurity, problemResponses } from '../openapi/index.ts';
import { MilestoneSchema } from './milestones.ts';

const MilestoneParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }) });
const DisputeParam = MilestoneParam.extend({ did: z.string().min(1).max(64).openapi({ param: { name: 'did', in: 'path' } }) });

const DisputeSchema = z
  .object({ id: z.string(), milestoneId: z.string(), reason: z.string(), status: z.enum(['open', 'resolved']), outcome: z.enum(['accept', 'rework']).optional(), resolution: z.string().optional() })
  .loose()
  .openapi('Dispute');

const disputeOut = (d: DisputeDoc) => {
  const { _id, revision, outbox: _o, tenantId: _t, version: _v, ...rest } = d;
  return jsonOut({ id: _id, ...rest, version: revision });
};

const raise = createRoute({
  method: 'post',
  path: '/v1/milestones/{id}/disputes',
  tags: ['verification'],
  summary: 'Raise a dispute over a milestone (it moves to its disputed state when the workflow has one)',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager', 'owner', 'integration')] as const,
  request: { params: MilestoneParam, body: { required: true, content: { 'application/json': { schema: raiseDisputeSchema } } } },
  responses: {
    201: { description: 'Raised', content: { 'application/json': { schema: z.object({ dispute: DisputeSchema, milestone: MilestoneSchema }) } } },
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
});

const list = createRoute({
  method: 'get',
  path: '/v1/milestones/{id}/disputes',
  tags: ['verification'],
  summary: 'A milestone’s disputes, newest first',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: MilestoneParam },
  responses: { 200: { description: 'Disputes', content: { 'application/json': { schema: z.object({ items: z.array(DisputeSchema) }) } } }, ...problemResponses(401, 404) },
});

const resolve = createRoute({
  method: 'post',
  path: '/v1/milestones/{id}/disputes/{did}/resolve',
  tags: ['verification'],
  summary: 'Settle a dispute: accept the submission or send the work back for rework',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { params: DisputeParam, body: { required: true, content: { 'application/json': { schema: resolveDisputeSchema } } } },
  responses: {
    200: { description: 'Resolved', content: { 'application/json': { schema: z.object({ dispute: DisputeSchema, milestone: MilestoneSchema }) } } },
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
});

export function registerDisputeRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(raise, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    const { dispute, milestone } = unwrap(await raiseDispute(requestContext(c), id, c.req.valid('json'), { role: c.get('auth').role }));
    return c.json({ dispute: disputeOut(dispute), milestone: await milestoneOut(c, milestone) }, 201);
  });

  app.openapi(list, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    return c.json({ items: (await listDisputes(c.get('db'), id)).map(disputeOut) }, 200);
  });

  app.openapi(resolve, async (c) => {
    const { id, did } = c.req.valid('param');
    await visibleMilestone(c, id);
    const { dispute, milestone } = unwrap(await resolveDispute(requestContext(c), id, did, c.req.valid('json'), { role: c.get('auth').role }));
    return c.json({ dispute: disputeOut(dispute), milestone: await milestoneOut(c, milestone) }, 200);
  });
}
