import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { CHANNELS, NOTIFICATION_LOCALES, TEMPLATE_KEY_LIST, type Channel, type NotificationLocale } from '../../core/notifications/index.ts';
import { getEffectiveTemplate, isTemplateSlot, listEffectiveTemplates, resetMessageTemplate, saveMessageTemplate, type EffectiveTemplate } from '../../queues/notify/index.ts';
import type { AppEnv } from '../app-env.ts';
import { jsonOut, unwrap } from '../domain/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { bearerSecurity, problemResponses } from '../openapi/index.ts';

const tags = ['message-templates'];

const MessageTemplateSchema = z
  .object({
    key: z.enum(TEMPLATE_KEY_LIST),
    channel: z.enum(CHANNELS),
    locale: z.enum(NOTIFICATION_LOCALES),
    source: z.enum(['tenant', 'default']),
    subject: z.string().optional(),
    body: z.string(),
    revision: z.number().int().optional(),
    updatedAt: z.string().optional(),
  })
  .loose()
  .openapi('MessageTemplate');

const TemplateInput = z
  .object({
    subject: z.string().optional(),
    body: z.string(),
    format: z.enum(['text', 'html']).optional(),
    amountStyle: z.enum(['full', 'compact']).optional(),
    whatsappTemplate: z.record(z.string(), z.unknown()).optional(),
    dltTemplateId: z.string().optional(),
    variables: z.array(z.string()).optional(),
  })
  .loose()
  .openapi('MessageTemplateInput', { description: 'Validated at save: placeholders, required placeholders of the key, channel fields, SMS length and DLT id' });

const SlotParams = z.object({
  key: z.string().max(60).openapi({ param: { name: 'key', in: 'path' }, example: 'probe.status' }),
  channel: z.string().max(20).openapi({ param: { name: 'channel', in: 'path' }, example: 'whatsapp' }),
  locale: z.string().max(10).openapi({ param: { name: 'locale', in: 'path' }, example: 'hi' }),
});

const list = createRoute({
  method: 'get',
  path: '/v1/message-templates',
  tags,
  summary: "Every message template the tenant uses: its own where saved, else the shipped default",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { query: z.object({ key: z.enum(TEMPLATE_KEY_LIST).optional(), channel: z.enum(CHANNELS).optional(), locale: z.enum(NOTIFICATION_LOCALES).optional() }) },
  responses: { 200: { description: 'Templates', content: { 'application/json': { schema: z.object({ items: z.array(MessageTemplateSchema) }) } } }, ...problemResponses(400, 401) },
});

const one = createRoute({
  method: 'get',
  path: '/v1/message-templates/{key}/{channel}/{locale}',
  tags,
  summary: 'The template for one key, channel and locale',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: SlotParams },
  responses: { 200: { description: 'The template', content: { 'application/json': { schema: MessageTemplateSchema } } }, ...problemResponses(401, 404) },
});

const put = createRoute({
  method: 'put',
  path: '/v1/message-templates/{key}/{channel}/{locale}',
  tags,
  summary: "Save the tenant's own template for one key, channel and locale (admin, manager)",
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { params: SlotParams, body: { required: true, content: { 'application/json': { schema: TemplateInput } } } },
  responses: {
    200: { description: 'Saved', content: { 'application/json': { schema: MessageTemplateSchema.extend({ warnings: z.array(z.object({ code: z.string(), path: z.string(), message: z.string() })) }) } } },
    ...problemResponses(400, 401, 403, 404, 415, 422),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/v1/message-templates/{key}/{channel}/{locale}',
  tags,
  summary: "Drop the tenant's template so the shipped default applies again (admin, manager)",
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { params: SlotParams },
  responses: { 204: { description: 'Reset' }, ...problemResponses(401, 403, 404) },
});

function templateOut(effective: EffectiveTemplate) {
  return jsonOut({
    ...effective.template,
    source: effective.source,
    ...(effective.revision !== undefined ? { revision: effective.revision } : {}),
    ...(effective.updatedAt !== undefined ? { updatedAt: effective.updatedAt } : {}),
  });
}

function slotOf(params: { key: string; channel: string; locale: string }) {
  const { key, channel, locale } = params;
  if (!isTemplateSlot(key, channel, locale)) {
    throw new ApiError('not_found', { detail: `No template slot ${key}/${channel}/${locale}: keys are ${TEMPLATE_KEY_LIST.join(', ')}; channels ${CHANNELS.join(', ')}; locales ${NOTIFICATION_LOCALES.join(', ')}` });
  }
  return { key, channel: channel as Channel, locale: locale as NotificationLocale };
}

export function registerMessageTemplateRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, async (c) => {
    const items = await listEffectiveTemplates(c.get('db'), c.req.valid('query'));
    return c.json({ items: items.map(templateOut) as z.infer<typeof MessageTemplateSchema>[] }, 200);
  });

  app.openapi(one, async (c) => {
    const slot = slotOf(c.req.valid('param'));
    const found = await getEffectiveTemplate(c.get('db'), slot.key, slot.channel, slot.locale);
    if (found === null) throw new ApiError('not_found', { detail: 'No such template' });
    return c.json(templateOut(found) as z.infer<typeof MessageTemplateSchema>, 200);
  });

  app.openapi(put, async (c) => {
    const slot = slotOf(c.req.valid('param'));
    const { key: _k, channel: _c, locale: _l, ...body } = c.req.valid('json') as Record<string, unknown>;
    const saved = unwrap(await saveMessageTemplate(c.get('db'), slot, body, { now: c.get('services').now(), by: c.get('auth').key._id }));
    const out = templateOut({ template: saved.doc.template, source: 'tenant', revision: saved.doc.revision, updatedAt: saved.doc.updatedAt });
    return c.json({ ...(out as z.infer<typeof MessageTemplateSchema>), warnings: saved.warnings.map((w) => ({ code: w.code, path: w.path, message: w.message })) }, 200);
  });

  app.openapi(remove, async (c) => {
    const slot = slotOf(c.req.valid('param'));
    const removed = await resetMessageTemplate(c.get('db'), slot.key, slot.channel, slot.locale);
    if (!removed) throw new ApiError('not_found', { detail: 'The tenant has no own template here; the default already applies' });
    return c.body(null, 204);
  });
}
