import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { CHANNELS } from '../../core/notifications/index.ts';
import { contactPreferencesPatchSchema, getContactPreferences, updateContactPreferences, type ContactPreferences } from '../../queues/notify/index.ts';
import type { AppEnv } from '../app-env.ts';
import { jsonOut, requestContext, unwrap } from '../domain/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, problemResponses } from '../openapi/index.ts';

const tags = ['people'];

const PreferencesSchema = z
  .object({
    personId: z.string(),
    channels: z.array(z.enum(CHANNELS)),
    quietHours: z.object({ start: z.string(), end: z.string(), timeZone: z.string().optional() }).nullable(),
    optOut: z.object({ all: z.boolean(), channels: z.array(z.enum(CHANNELS)), reason: z.string().optional(), at: z.string().optional(), source: z.string().optional() }),
    locale: z.string().optional(),
    version: z.number().int(),
  })
  .openapi('ContactPreferences');

const get = createRoute({
  method: 'get',
  path: '/v1/people/{id}/contact-preferences',
  tags,
  summary: 'How a person is reached: channels in order, quiet hours and opt-out',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'Preferences', content: { 'application/json': { schema: PreferencesSchema } } }, ...problemResponses(401, 404) },
});

const put = createRoute({
  method: 'put',
  path: '/v1/people/{id}/contact-preferences',
  tags,
  summary: 'Change channel order, quiet hours or opt-out; omitted parts stay, optOut null opts back in (admin, manager, integration)',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager', 'integration')] as const,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: contactPreferencesPatchSchema } } } },
  responses: { 200: { description: 'Changed', content: { 'application/json': { schema: PreferencesSchema } } }, ...problemResponses(400, 401, 403, 404, 409, 415, 422) },
});

const out = (p: ContactPreferences) => jsonOut(p) as z.infer<typeof PreferencesSchema>;

export function registerContactPreferenceRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(get, async (c) => {
    const found = await getContactPreferences({ db: c.get('db') }, c.req.valid('param').id);
    if (found === null) throw new ApiError('not_found', { detail: 'No such person' });
    return c.json(out(found), 200);
  });
  app.openapi(put, async (c) => c.json(out(unwrap(await updateContactPreferences(requestContext(c), c.req.valid('param').id, c.req.valid('json')))), 200));
}
