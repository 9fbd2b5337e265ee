import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { isMilestoneVerified, resolveMilestoneWorkflow, transitionInputSchema, transitionMilestone } from '../../core/milestones/index.ts';
import { leavesFrom } from '../../core/workflow/index.ts';
import type { AppEnv } from '../app-env.ts';
import { expectedVersion, milestoneOut, requestContext, setVersionTag, unwrap, visibleMilestone } from '../domain/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, problemResponses } from '../openapi/index.ts';
import { MilestoneSchema } from './milestones.ts';

const move = createRoute({
  method: 'post',
  path: '/v1/milestones/{id}/transitions',
  tags: ['milestones'],
  summary: 'Move a milestone to another state of its workflow',
  description:
    'Checks, in order: the workflow (a transition from the current state), dependencies, guards, verification and approval, ' +
    'then business rules on milestone.transitioning. A refusal answers 409 transition_refused (or 422 when the request names ' +
    'an unknown state) with `reason`: unknown_state, no_transition, system_only, blocked_by_dependency, guard_failed, ' +
    'verification_required, approval_required or blocked_by_rule.',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager', 'owner', 'integration')] as const,
  request: {
    params: IdParam,
    headers: z.object({ 'if-match': z.string().max(40).optional() }),
    body: { required: true, content: { 'application/json': { schema: transitionInputSchema } } },
  },
  responses: {
    200: { description: 'Moved', content: { 'application/json': { schema: MilestoneSchema } } },
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
});

const available = createRoute({
  method: 'get',
  path: '/v1/milestones/{id}/transitions',
  tags: ['milestones'],
  summary: 'The moves its workflow offers from the current state',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: {
    200: {
      description: 'Transitions from the current state',
      content: {
        'application/json': {
          schema: z.object({
            status: z.string(),
            workflow: z.object({ id: z.string(), version: z.number().int() }),
            verified: z.boolean(),
            items: z.array(z.object({ to: z.string(), event: z.string().optional(), name: z.string().optional(), requires: z.object({ verification: z.boolean().optional(), approval: z.boolean().optional() }).optional(), guarded: z.boolean(), system: z.boolean() })),
          }),
        },
      },
    },
    ...problemResponses(401, 404, 422),
  },
});

export function registerMilestoneTransitionRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(move, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    const body = c.req.valid('json');
    const doc = unwrap(await transitionMilestone(requestContext(c), id, body, { expectedVersion: expectedVersion(c, body.version) }));
    setVersionTag(c, doc.revision);
    return c.json(await milestoneOut(c, doc), 200);
  });

  app.openapi(available, async (c) => {
    const doc = await visibleMilestone(c, c.req.valid('param').id);
    const resolved = unwrap(await resolveMilestoneWorkflow(c.get('db'), doc));
    const workflow = resolved.workflow;
    const items = workflow.transitions
      .filter((t) => leavesFrom(workflow, t, doc.status))
      .map((t) => ({
        to: t.to,
        ...(t.event ? { event: t.event } : {}),
        ...(t.name ? { name: t.name } : {}),
        ...(t.requires ? { requires: t.requires } : {}),
        guarded: t.guard !== undefined,
        system: t.system === true,
      }));
    return c.json({ status: doc.status, workflow: doc.workflow, verified: await isMilestoneVerified(c.get('db'), doc), items }, 200);
  });
}
