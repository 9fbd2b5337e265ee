import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { getNotificationSettings, saveNotificationSettings } from '../../queues/notify/index.ts';
import type { AppEnv } from '../app-env.ts';
import { unwrap } from '../domain/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { bearerSecurity, problemResponses } from '../openapi/index.ts';

const tags = ['notifications'];

const SettingsSchema = z
  .object({
    delivery: z.object({
      quietHours: z.object({ start: z.string(), end: z.string(), days: z.array(z.string()).optional() }).nullable(),
      criticalBypassesQuietHours: z.boolean(),
      channelOrder: z.array(z.string()),
      fallbackBeyondPreferred: z.boolean(),
    }),
    retry: z.object({ maxAttemptsPerChannel: z.number().int(), initialDelay: z.string(), multiplier: z.number(), maxDelay: z.string() }),
    defaultLocale: z.string(),
  })
  .openapi('NotificationSettings');

const SettingsInput = z.record(z.string(), z.unknown()).openapi('NotificationSettingsInput', {
  description: 'Quiet hours (in the tenant zone), channel order, retry policy and default locale; omitted parts take their defaults',
});

const get = createRoute({
  method: 'get',
  path: '/v1/notification-settings',
  tags,
  summary: "The tenant's quiet hours, channel order, retry policy and default language",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  responses: { 200: { description: 'Settings', content: { 'application/json': { schema: SettingsSchema } } }, ...problemResponses(401) },
});

const put = createRoute({
  method: 'put',
  path: '/v1/notification-settings',
  tags,
  summary: "Replace the tenant's notification settings (admin)",
  security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: SettingsInput } } } },
  responses: { 200: { description: 'Saved', content: { 'application/json': { schema: SettingsSchema } } }, ...problemResponses(400, 401, 403, 415, 422) },
});

export function registerNotificationSettingsRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(get, async (c) => c.json(await getNotificationSettings(c.get('db')), 200));
  app.openapi(put, async (c) => c.json(unwrap(await saveNotificationSettings(c.get('db'), c.req.valid('json'))), 200));
}
