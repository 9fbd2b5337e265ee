import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { ESCALATION_TRIGGERS, acknowledgeEscalationById, getEscalation, listEscalations, resolveEscalationById, type EscalationDoc } from '../../core/escalations/index.ts';
import type { AppEnv } from '../app-env.ts';
import { jsonOut, requestContext, unwrap, visibleMilestone } from '../domain/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { bearerSecurity, IdParam, problemResponses } from '../openapi/index.ts';

const HistorySchema = z.object({ at: z.string(), type: z.string(), level: z.number().int(), by: z.string().optional(), reason: z.string().optional() });

const EscalationSchema = z
  .object({
    id: z.string(),
    milestoneId: z.string(),
    projectId: z.string(),
    policyKey: z.string(),
    trigger: z.enum(ESCALATION_TRIGGERS),
    causeKey: z.string(),
    state: z.enum(['open', 'acknowledged', 'resolved']),
    level: z.number().int(),
    openedAt: z.string(),
    levelSince: z.string(),
    acknowledgedAt: z.string().optional(),
    acknowledgedBy: z.string().optional(),
    resolvedAt: z.string().optional(),
    resolvedBy: z.string().optional(),
    resolution: z.enum(['resolved', 'cause_cleared']).optional(),
    resolutionNote: z.string().optional(),
    breachedAt: z.string().optional(),
    history: z.array(HistorySchema),
    notices: z.array(z.object({ level: z.number().int(), at: z.string(), refs: z.array(z.string()), recipients: z.array(z.string()), notificationIds: z.array(z.string()), unresolved: z.array(z.string()) })),
  })
  .openapi('Escalation');

const escalationOut = (doc: EscalationDoc) => {
  const { _id, tenantId: _t, version: _v, createdAt: _c, updatedAt: _u, ...rest } = doc;
  return jsonOut({ id: _id, ...rest });
};

const list = createRoute({
  method: 'get',
  path: '/v1/escalations',
  tags: ['escalations'],
  summary: 'Escalations, newest first, optionally of one milestone or state',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: {
    query: z.object({
      milestoneId: z.string().min(1).max(64).optional(),
      state: z.enum(['open', 'acknowledged', 'resolved']).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: { 200: { description: 'Escalations', content: { 'application/json': { schema: z.object({ items: z.array(EscalationSchema) }) } } }, ...problemResponses(400, 401, 404) },
});

const getOne = createRoute({
  method: 'get',
  path: '/v1/escalations/{id}',
  tags: ['escalations'],
  summary: 'One escalation with its level history and notices',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'The escalation', content: { 'application/json': { schema: EscalationSchema } } }, ...problemResponses(401, 404) },
});

const acknowledge = createRoute({
  method: 'post',
  path: '/v1/escalations/{id}/acknowledge',
  tags: ['escalations'],
  summary: 'Acknowledge at the current level: the next level is not reached (the resolve SLA keeps running)',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager', 'owner')] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'Acknowledged', content: { 'application/json': { schema: EscalationSchema } } }, ...problemResponses(401, 403, 404, 409) },
});

const resolve = createRoute({
  method: 'post',
  path: '/v1/escalations/{id}/resolve',
  tags: ['escalations'],
  summary: 'Resolve: the escalation closes and the same cause does not open it again',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager', 'owner')] as const,
  request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: z.object({ note: z.string().trim().min(1).max(2000).optional() }).strict() } } } },
  responses: { 200: { description: 'Resolved', content: { 'application/json': { schema: EscalationSchema } } }, ...problemResponses(400, 401, 403, 404, 409) },
});

async function visibleEscalation(c: Parameters<typeof visibleMilestone>[0], id: string): Promise<EscalationDoc> {
  const doc = await getEscalation(c.get('db'), id);
  if (!doc) throw new ApiError('not_found', { detail: 'No such escalation' });
  await visibleMilestone(c, doc.milestoneId).catch(() => {
    throw new ApiError('not_found', { detail: 'No such escalation' });
  });
  return doc;
}

export function registerEscalationRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, async (c) => {
    const { milestoneId, state, limit } = c.req.valid('query');
    if (milestoneId !== undefined) await visibleMilestone(c, milestoneId);
    const items = await listEscalations(c.get('db'), { milestoneId, state, limit });
    return c.json({ items: items.map(escalationOut) }, 200);
  });

  app.openapi(getOne, async (c) => c.json(escalationOut(await visibleEscalation(c, c.req.valid('param').id)), 200));

  app.openapi(acknowledge, async (c) => {
    const { id } = c.req.valid('param');
    await visibleEscalation(c, id);
    return c.json(escalationOut(unwrap(await acknowledgeEscalationById(requestContext(c), id))), 200);
  });

  app.openapi(resolve, async (c) => {
    const { id } = c.req.valid('param');
    await visibleEscalation(c, id);
    const body = (c.req.valid('json') as { note?: string } | undefined) ?? {};
    return c.json(escalationOut(unwrap(await resolveEscalationById(requestContext(c), id, body.note))), 200);
  });
}
