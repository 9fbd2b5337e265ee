import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { issueApiKey, listApiKeys, revokeApiKey, ROLES, type ApiKeyView } from '../../core/tenancy/index.ts';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, problemResponses } from '../openapi/index.ts';

const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    prefix: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().optional(),
    revokedAt: z.string().optional(),
  })
  .openapi('ApiKey');

const keyOut = (k: ApiKeyView): z.infer<typeof ApiKeySchema> => ({
  id: k.id,
  name: k.name,
  role: k.role,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  ...(k.lastUsedAt ? { lastUsedAt: k.lastUsedAt.toISOString() } : {}),
  ...(k.revokedAt ? { revokedAt: k.revokedAt.toISOString() } : {}),
});

const CreateKeyBody = z.object({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES) }).strict().openapi('CreateApiKey');

const list = createRoute({
  method: 'get',
  path: '/v1/api-keys',
  tags: ['api keys'],
  summary: "List the tenant's API keys (admin)",
  security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  responses: {
    200: { description: 'Keys, without secrets', content: { 'application/json': { schema: z.object({ items: z.array(ApiKeySchema) }) } } },
    ...problemResponses(401, 403),
  },
});

const create = createRoute({
  method: 'post',
  path: '/v1/api-keys',
  tags: ['api keys'],
  summary: 'Create an API key (admin); its secret is shown once',
  security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: CreateKeyBody } } } },
  responses: {
    201: {
      description: 'Created',
      content: { 'application/json': { schema: ApiKeySchema.extend({ apiKey: z.string() }) } },
    },
    ...problemResponses(400, 401, 403, 415),
  },
});

const revoke = createRoute({
  method: 'delete',
  path: '/v1/api-keys/{id}',
  tags: ['api keys'],
  summary: 'Revoke an API key (admin)',
  security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Revoked' }, ...problemResponses(401, 403, 404) },
});

export function registerApiKeyRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, async (c) => {
    const keys = await listApiKeys(c.get('services').store, c.get('auth').tenant._id);
    return c.json({ items: keys.map(keyOut) }, 200);
  });
  app.openapi(create, async (c) => {
    const body = c.req.valid('json');
    const { tenant, key: caller } = c.get('auth');
    const { key, token } = await issueApiKey(c.get('services').store, tenant._id, { ...body, createdBy: caller._id });
    return c.json({ ...keyOut(key), apiKey: token }, 201);
  });
  app.openapi(revoke, async (c) => {
    const { id } = c.req.valid('param');
    const done = await revokeApiKey(c.get('services').store, c.get('auth').tenant._id, id, c.get('services').now());
    if (!done) throw new ApiError('not_found', { detail: 'No such API key' });
    return c.body(null, 204);
  });
}
