import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { getBillingProfile, tenantBillingPatchSchema, updateTenantBilling, type BillingProfile } from '../../core/billing/index.ts';
import { viewTenant } from '../../core/tenancy/index.ts';
import type { AppEnv } from '../app-env.ts';
import { unwrap } from '../domain/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { bearerSecurity, problemResponses } from '../openapi/index.ts';
import { TenantSchema, tenantOut } from './tenants.ts';

const TenantSettingsSchema = TenantSchema.extend({
  supplier: z.object({ legalName: z.string().optional(), gstin: z.string().optional(), stateCode: z.string().optional(), address: z.string().optional() }),
  invoicing: z.record(z.string(), z.unknown()),
  supplierComplete: z.boolean(),
}).openapi('TenantSettings');

const read = createRoute({
  method: 'get',
  path: '/v1/tenant',
  tags: ['tenants'],
  summary: "The calling tenant with its supplier details and invoicing settings",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  responses: { 200: { description: 'The tenant', content: { 'application/json': { schema: TenantSettingsSchema } } }, ...problemResponses(401) },
});

const patch = createRoute({
  method: 'patch',
  path: '/v1/tenant',
  tags: ['tenants'],
  summary: 'Set supplier details (legal name, GSTIN, state code, address) and invoicing choices',
  description:
    'Fields left out keep their value. The GSTIN is checked for format, check character and state (it must match `stateCode`); ' +
    'a GSTIN that fails answers 422 with `invalid_gstin` or `gstin_state_mismatch`. Also: branding and template, numbering ' +
    '(`prefix`, `fyStyle`, `padding`, `separator`; at most 16 characters per GST), `roundOffToRupee`, `defaultHsnSac`, ' +
    '`defaultGstRate`, `defaultDueInDays`, `requireApproval`, `autoInvoice`, `invoiceTrigger` and payment `reminders`.',
  security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: tenantBillingPatchSchema }, 'application/merge-patch+json': { schema: tenantBillingPatchSchema } } } },
  responses: {
    200: { description: 'Saved', content: { 'application/json': { schema: TenantSettingsSchema } } },
    ...problemResponses(400, 401, 403, 415, 422),
  },
});

function settingsOut(c: { get(key: 'auth'): AppEnv['Variables']['auth'] }, profile: BillingProfile, tenantSupplier?: BillingProfile['supplier']) {
  const tenant = tenantOut(viewTenant(c.get('auth').tenant));
  return { ...tenant, supplier: tenantSupplier ?? profile.supplier, invoicing: profile.settings as Record<string, unknown>, supplierComplete: profile.completeSupplier !== undefined };
}

export function registerTenantSettingsRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(read, async (c) => c.json(settingsOut(c, await getBillingProfile(c.get('db'))), 200));

  app.openapi(patch, async (c) => {
    const body = c.req.valid('json');
    const profile = unwrap(await updateTenantBilling(c.get('services').store, c.get('auth').tenant._id, body));
    return c.json(settingsOut(c, profile, profile.supplier), 200);
  });
}
