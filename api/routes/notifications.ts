import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { CHANNELS, NOTIFICATION_LOCALES, NOTIFICATION_STATUSES, notificationsCollection, TEMPLATE_KEY_LIST, URGENCIES, type NotificationDoc } from '../../core/notifications/index.ts';
import { cancelNotification, listNotifications, maskAddress, requestNotification } from '../../queues/notify/index.ts';
import type { AppEnv } from '../app-env.ts';
import { jsonOut, unwrap } from '../domain/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, pageOf, problemResponses } from '../openapi/index.ts';

const tags = ['notifications'];
const id = z.string().min(1).max(100);

const AttemptSchema = z
  .object({
    n: z.number().int(),
    channel: z.enum(CHANNELS),
    to: z.string(),
    outcome: z.enum(['sending', 'sent', 'failed']),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    providerMessageId: z.string().optional(),
    error: z.object({ code: z.string(), message: z.string().optional(), permanent: z.boolean() }).loose().optional(),
  })
  .openapi('NotificationAttempt');

const NotificationSchema = z
  .object({
    id: z.string(),
    status: z.enum(NOTIFICATION_STATUSES),
    channel: z.enum(CHANNELS).optional(),
    to: z.string().optional().openapi({ description: 'The address of the latest attempt, masked' }),
    purpose: z.string(),
    templateKey: z.string(),
    attempts: z.array(AttemptSchema),
    milestoneId: z.string().optional(),
    personId: z.string().optional(),
    probeId: z.string().optional(),
    escalationId: z.string().optional(),
    invoiceId: z.string().optional(),
    providerMessageId: z.string().optional(),
    dueAt: z.string().optional(),
    waitReason: z.string().optional(),
    createdAt: z.string(),
    queuedAt: z.string(),
    sentAt: z.string().optional(),
    deliveredAt: z.string().optional(),
    readAt: z.string().optional(),
    failedAt: z.string().optional(),
    error: z.object({ code: z.string(), message: z.string().optional() }).loose().optional(),
  })
  .loose()
  .openapi('Notification');

const list = createRoute({
  method: 'get',
  path: '/v1/notifications',
  tags,
  summary: 'Messages the hub sent or is sending, newest first, with their outcome',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: {
    query: z.object({
      milestoneId: id.optional(),
      personId: id.optional(),
      status: z.enum(NOTIFICATION_STATUSES).optional(),
      purpose: z.string().max(40).optional(),
      probeId: id.optional(),
      escalationId: id.optional(),
      invoiceId: id.optional(),
      projectId: id.optional(),
      limit: z.coerce.number().int().min(1).max(200).optional(),
      cursor: z.string().max(500).optional(),
    }),
  },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: pageOf(NotificationSchema) } } }, ...problemResponses(400, 401) },
});

const one = createRoute({
  method: 'get',
  path: '/v1/notifications/{id}',
  tags,
  summary: 'One notification with every attempt and what the recipient saw',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'The notification', content: { 'application/json': { schema: NotificationSchema } } }, ...problemResponses(401, 404) },
});

const SendSchema = z
  .object({
    dedupeKey: z.string().min(1).max(300).optional().openapi({ description: 'A business key; the same key sends once. Defaults to a fresh one.' }),
    purpose: z.string().max(40).default('manual'),
    recipient: z.union([
      z.object({ personId: id }).strict(),
      z.object({ contact: z.object({ name: z.string().max(200).optional(), email: z.string().max(254).optional(), phone: z.string().max(30).optional(), whatsapp: z.string().max(30).optional(), locale: z.string().max(35).optional() }).strict() }).strict(),
      z.object({ address: z.object({ channel: z.enum(CHANNELS), to: z.string().min(3).max(320), name: z.string().max(200).optional() }).strict() }).strict(),
    ]),
    templateKey: z.enum(TEMPLATE_KEY_LIST),
    locale: z.enum(NOTIFICATION_LOCALES).optional(),
    vars: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Placeholder values: milestone.title, amount (paise), dueDate (YYYY-MM-DD) ...' }),
    link: z.string().max(2000).optional(),
    urgency: z.enum(URGENCIES).optional(),
    channels: z.array(z.enum(CHANNELS)).min(1).max(3).optional(),
    milestoneId: id.optional(),
    projectId: id.optional(),
    invoiceId: id.optional(),
    notBefore: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .openapi('NotificationRequest');

const send = createRoute({
  method: 'post',
  path: '/v1/notifications',
  tags,
  summary: 'Send a message from a template now, or after quiet hours (admin, manager, integration)',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager', 'integration')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: SendSchema } } } },
  responses: {
    202: { description: 'Queued', content: { 'application/json': { schema: z.object({ notificationId: z.string(), deduplicated: z.boolean(), status: z.enum(NOTIFICATION_STATUSES) }) } } },
    ...problemResponses(400, 401, 403, 415, 422),
  },
});

const cancel = createRoute({
  method: 'post',
  path: '/v1/notifications/{id}/cancel',
  tags,
  summary: 'Withdraw a notification that has not gone out yet (admin, manager, integration)',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager', 'integration')] as const,
  request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: z.object({ reason: z.string().max(500).optional() }).strict() } } } },
  responses: { 200: { description: 'Cancelled', content: { 'application/json': { schema: NotificationSchema } } }, ...problemResponses(401, 403, 404, 409) },
});

/** A notification as the API shows it; `to` masked in lists. */
export function notificationOut(doc: NotificationDoc, { mask }: { mask: boolean }) {
  const hide = (address: string) => (mask ? maskAddress(address) : address);
  const optional = ['channel', 'milestoneId', 'personId', 'probeId', 'escalationId', 'invoiceId', 'projectId', 'providerMessageId', 'dueAt', 'waitReason', 'sentAt', 'deliveredAt', 'readAt', 'failedAt', 'error', 'locale'] as const;
  const out: Record<string, unknown> = {
    id: doc._id,
    status: doc.status,
    purpose: doc.purpose,
    templateKey: doc.templateKey,
    urgency: doc.urgency,
    attempts: doc.attempts.map((a) => ({ ...a, to: hide(a.to), idempotencyKey: undefined })),
    createdAt: doc.createdAt,
    queuedAt: doc.queuedAt,
  };
  for (const field of optional) if (doc[field] !== undefined) out[field] = doc[field];
  if (doc.to !== undefined) out['to'] = hide(doc.to);
  if (!mask && doc.rendered !== undefined) out['rendered'] = doc.rendered;
  return jsonOut(out);
}

export function registerNotificationRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, async (c) => {
    const { limit, cursor, ...filter } = c.req.valid('query');
    const page = await listNotifications(c.get('db'), filter, { ...(limit !== undefined ? { limit } : {}), cursor: cursor ?? null });
    return c.json({ items: page.items.map((d) => notificationOut(d, { mask: true })) as z.infer<typeof NotificationSchema>[], nextCursor: page.nextCursor }, 200);
  });

  app.openapi(one, async (c) => {
    const doc = await c.get('db').collection(notificationsCollection).findById(c.req.valid('param').id);
    if (doc === null) throw new ApiError('not_found', { detail: 'No such notification' });
    const role = c.get('auth').role;
    return c.json(notificationOut(doc, { mask: role !== 'admin' && role !== 'manager' }) as z.infer<typeof NotificationSchema>, 200);
  });

  app.openapi(cancel, async (c) => {
    const reason = c.req.valid('json')?.reason;
    const doc = unwrap(await cancelNotification(c.get('db'), c.req.valid('param').id, { now: c.get('services').now(), ...(reason !== undefined ? { reason } : {}) }));
    return c.json(notificationOut(doc, { mask: false }) as z.infer<typeof NotificationSchema>, 200);
  });

  app.openapi(send, async (c) => {
    const body = c.req.valid('json');
    const services = c.get('services');
    const auth = c.get('auth');
    const { notBefore, vars, dedupeKey, ...rest } = body;
    const result = await requestNotification(
      { store: services.store, ...(services.queues ? { queues: services.queues } : {}), now: services.now },
      {
        ...rest,
        tenantId: auth.tenant._id,
        dedupeKey: dedupeKey ?? `manual:${crypto.randomUUID()}`,
        ...(vars !== undefined ? { vars: vars as never } : {}),
        ...(notBefore !== undefined ? { notBefore: new Date(notBefore) } : {}),
        requestedBy: { kind: 'api-key', id: auth.key._id },
      },
    );
    return c.json(unwrap(result), 202);
  });
}
