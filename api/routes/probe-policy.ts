import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteProbePolicy, getProbePolicy, saveProbePolicy, type ResolvedProbePolicy } from '../../core/probes/index.ts';
import type { AppEnv } from '../app-env.ts';
import { expectedVersion, jsonOut, setVersionTag, unwrap } from '../domain/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { bearerSecurity, problemResponses } from '../openapi/index.ts';

const tags = ['probes'];

// The body is checked whole by core/probes' schema at save, which reports every issue with its path.
const PolicyBody = z
  .object({
    every: z.record(z.string(), z.string()).optional().openapi({ example: { critical: 'P1D', high: 'P2D', normal: 'P7D', low: 'P14D' } }),
    nearDue: z.array(z.record(z.string(), z.string())).optional().openapi({ example: [{ within: 'P7D', atMost: 'P2D' }, { within: 'P2D', atMost: 'P1D' }] }),
    overdue: z.string().optional().openapi({ example: 'P1D' }),
    risk: z.record(z.string(), z.string()).optional().openapi({ example: { high: 'P2D' } }),
    probeNotStarted: z.boolean().optional(),
  })
  .loose()
  .openapi('ProbePolicyBody', {
    description: 'How often owners are asked: a base interval per criticality, tightened near the due date, once overdue and by risk. Omitted parts take the shipped defaults; every interval is at least PT1H.',
  });

const PolicySchema = z
  .object({ policy: z.record(z.string(), z.unknown()), version: z.number().int(), stored: z.boolean() })
  .openapi('ProbePolicy', { description: '`stored: false` and version 0 while the shipped default applies' });

const policyOut = (p: ResolvedProbePolicy) => jsonOut({ ...p, policy: p.policy as unknown as Record<string, unknown> });

const getOne = createRoute({
  method: 'get',
  path: '/v1/probe-policy',
  tags,
  summary: "The tenant's probe schedule policy (the shipped default until saved)",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  responses: { 200: { description: 'The policy', content: { 'application/json': { schema: PolicySchema } } }, ...problemResponses(401) },
});

const put = createRoute({
  method: 'put',
  path: '/v1/probe-policy',
  tags,
  summary: 'Replace the probe schedule policy; validated whole at save. If-Match checks the version',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: z.object({ policy: PolicyBody }).strict() } } } },
  responses: { 200: { description: 'Saved', content: { 'application/json': { schema: PolicySchema } } }, ...problemResponses(400, 401, 403, 409, 422) },
});

const remove = createRoute({
  method: 'delete',
  path: '/v1/probe-policy',
  tags,
  summary: 'Drop the saved policy: the shipped default applies again',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403) },
});

export function registerProbePolicyRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getOne, async (c) => {
    const found = await getProbePolicy(c.get('db'));
    setVersionTag(c, found.version);
    return c.json(policyOut(found), 200);
  });

  app.openapi(put, async (c) => {
    const saved = unwrap(await saveProbePolicy(c.get('db'), c.req.valid('json').policy, { expectedVersion: expectedVersion(c) }));
    setVersionTag(c, saved.version);
    return c.json(policyOut(saved), 200);
  });

  app.openapi(remove, async (c) => {
    await deleteProbePolicy(c.get('db'));
    return c.body(null, 204);
  });
}
