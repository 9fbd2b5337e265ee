import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { createTenant, type TenantView } from '../../core/tenancy/index.ts';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors/index.ts';
import { requireAdminToken } from '../middleware/require-admin-token.ts';
import { bearerSecurity, problemResponses } from '../openapi/index.ts';

export const TenantSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    timeZone: z.string(),
    status: z.enum(['active', 'suspended']),
    supplier: z
      .object({ legalName: z.string().optional(), gstin: z.string().optional(), stateCode: z.string().optional(), address: z.string().optional() })
      .optional(),
    createdAt: z.string(),
  })
  .openapi('Tenant');

export const tenantOut = (t: TenantView): z.infer<typeof TenantSchema> => ({ ...t, createdAt: t.createdAt.toISOString() });

const CreateTenantBody = z
  .object({
    slug: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, { error: 'must be 1-40 lower-case letters, digits or inner hyphens' })
      .openapi({ example: 'acme' }),
    name: z.string().trim().min(1).max(200).openapi({ example: 'Acme Infra Pvt Ltd' }),
    timeZone: z
      .string()
      .refine((tz) => isTimeZone(tz), { error: 'must be an IANA time zone such as Asia/Kolkata' })
      .optional(),
  })
  .strict()
  .openapi('CreateTenant');

const create = createRoute({
  method: 'post',
  path: '/v1/tenants',
  tags: ['tenants'],
  summary: 'Create a tenant and its first admin API key (platform token)',
  security: bearerSecurity,
  middleware: [requireAdminToken()] as const,
  request: { body: { required: true, content: { 'application/json': { schema: CreateTenantBody } } } },
  responses: {
    201: {
      description: 'Created; the API key is shown only in this answer',
      content: { 'application/json': { schema: z.object({ tenant: TenantSchema, apiKey: z.string() }) } },
    },
    ...problemResponses(400, 401, 403, 409, 415),
  },
});

export function registerTenantRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(create, async (c) => {
    const body = c.req.valid('json');
    const result = await createTenant(c.get('services').store, body);
    if (!result.ok) throw new ApiError('conflict', { detail: `The slug "${body.slug}" is taken` });
    return c.json({ tenant: tenantOut(result.tenant), apiKey: result.apiKey }, 201);
  });
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-IN', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
