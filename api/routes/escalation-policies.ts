import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  DEFAULT_POLICY_KEY,
  deleteEscalationPolicy,
  getEscalationPolicy,
  listEscalationPolicies,
  saveEscalationPolicy,
  type ResolvedEscalationPolicy,
} from '../../core/escalations/index.ts';
import type { AppEnv } from '../app-env.ts';
import { expectedVersion, jsonOut, setVersionTag, unwrap } from '../domain/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { bearerSecurity, problemResponses } from '../openapi/index.ts';

const KeyParam = z.object({
  key: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a lower-case key such as default or key-accounts')
    .openapi({ param: { name: 'key', in: 'path' }, example: 'default' }),
});

// The policy body is checked by core/escalations' schema at save, which reports every issue with its path.
const PolicyBody = z
  .object({
    levels: z.array(z.record(z.string(), z.unknown())).openapi({ example: [{ notify: ['owner'] }, { notify: ['owner.manager'], after: 'PT4H' }, { notify: ['owner.manager.manager'], after: 'PT8H' }, { notify: ['client.contact'], after: 'P1D' }] }),
    triggers: z.array(z.record(z.string(), z.unknown())).openapi({ example: [{ type: 'overdue', after: 'PT24H' }, { type: 'no_probe_response', after: 'PT48H' }, { type: 'disputed' }] }),
  })
  .loose()
  .openapi('EscalationPolicyBody', { description: 'Levels (owner → manager → director → client contact), triggers, SLA and early warnings' });

const PolicySchema = z
  .object({ key: z.string(), name: z.string().optional(), projectIds: z.array(z.string()).optional(), policy: z.record(z.string(), z.unknown()), version: z.number().int(), stored: z.boolean() })
  .openapi('EscalationPolicy');

const policyOut = (p: ResolvedEscalationPolicy) => jsonOut({ ...p, policy: p.policy as unknown as Record<string, unknown> });

const list = createRoute({
  method: 'get',
  path: '/v1/escalation-policies',
  tags: ['escalations'],
  summary: "The tenant's escalation policies, default first",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  responses: { 200: { description: 'Policies', content: { 'application/json': { schema: z.object({ items: z.array(PolicySchema) }) } } }, ...problemResponses(401) },
});

const getOne = createRoute({
  method: 'get',
  path: '/v1/escalation-policies/{key}',
  tags: ['escalations'],
  summary: 'One escalation policy (`default` is the shipped one until saved)',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: KeyParam },
  responses: { 200: { description: 'The policy', content: { 'application/json': { schema: PolicySchema } } }, ...problemResponses(400, 401, 404) },
});

const put = createRoute({
  method: 'put',
  path: '/v1/escalation-policies/{key}',
  tags: ['escalations'],
  summary: 'Create or replace an escalation policy; validated whole at save. If-Match checks the version',
  security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  request: {
    params: KeyParam,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ name: z.string().trim().min(1).max(200).optional(), projectIds: z.array(z.string().min(1).max(64)).max(1000).optional(), policy: PolicyBody }).strict(),
        },
      },
    },
  },
  responses: { 200: { description: 'Saved', content: { 'application/json': { schema: PolicySchema } } }, ...problemResponses(400, 401, 403, 409, 422) },
});

const remove = createRoute({
  method: 'delete',
  path: '/v1/escalation-policies/{key}',
  tags: ['escalations'],
  summary: 'Delete a policy; deleting `default` restores the shipped one',
  security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  request: { params: KeyParam },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404) },
});

export function registerEscalationPolicyRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, async (c) => c.json({ items: (await listEscalationPolicies(c.get('db'))).map(policyOut) }, 200));

  app.openapi(getOne, async (c) => {
    const found = await getEscalationPolicy(c.get('db'), c.req.valid('param').key);
    if (!found) throw new ApiError('not_found', { detail: 'No such escalation policy' });
    setVersionTag(c, found.version);
    return c.json(policyOut(found), 200);
  });

  app.openapi(put, async (c) => {
    const { key } = c.req.valid('param');
    const body = c.req.valid('json');
    const saved = unwrap(await saveEscalationPolicy(c.get('db'), key, { name: body.name, policy: body.policy, projectIds: body.projectIds }, { expectedVersion: expectedVersion(c) }));
    setVersionTag(c, saved.version);
    return c.json(policyOut(saved), 200);
  });

  app.openapi(remove, async (c) => {
    const { key } = c.req.valid('param');
    const deleted = await deleteEscalationPolicy(c.get('db'), key);
    if (!deleted && key !== DEFAULT_POLICY_KEY) throw new ApiError('not_found', { detail: 'No such escalation policy' });
    return c.body(null, 204);
  });
}
