import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { ROLES, viewTenant, type TenantDoc } from '../../core/tenancy/index.ts';
import type { AppEnv } from '../app-env.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { bearerSecurity, problemResponses } from '../openapi/index.ts';
import { TenantSchema, tenantOut } from './tenants.ts';

const me = createRoute({
  method: 'get',
  path: '/v1/me',
  tags: ['tenants'],
  summary: 'The tenant and role of the calling API key',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  responses: {
    200: {
      description: 'The caller',
      content: {
        'application/json': {
          schema: z.object({ tenant: TenantSchema, role: z.enum(ROLES), keyId: z.string(), keyName: z.string() }).openapi('Me'),
        },
      },
    },
    ...problemResponses(401),
  },
});

// A resolved tenant is frozen while the auth cache holds it: its view can be built once.
const views = new WeakMap<TenantDoc, ReturnType<typeof tenantOut>>();
const tenantView = (tenant: TenantDoc): ReturnType<typeof tenantOut> => {
  if (!Object.isFrozen(tenant)) return tenantOut(viewTenant(tenant));
  let view = views.get(tenant);
  if (view === undefined) views.set(tenant, (view = tenantOut(viewTenant(tenant))));
  return view;
};

export function registerMeRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(me, (c) => {
    const { tenant, key, role } = c.get('auth');
    return c.json({ tenant: tenantView(tenant), role, keyId: key._id, keyName: key.name }, 200);
  });
}
