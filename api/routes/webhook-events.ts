import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  ENVELOPE_STATUSES,
  envelopeFilter,
  replayEnvelope,
  webhookEnvelopesCollection,
  type EnvelopeQuery,
  type WebhookEnvelopeDoc,
} from '../../webhooks/index.ts';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, pageOf, problemResponses } from '../openapi/index.ts';

const ROLES = ['admin', 'manager', 'integration'] as const;
const BULK_REPLAY_MAX = 10_000;

const WebhookEventSchema = z
  .object({
    id: z.string(),
    connectionId: z.string(),
    connector: z.string(),
    scheme: z.string(),
    eventKey: z.string().openapi({ description: 'The provider event id, or sha256:<hex> of the body when the provider sends none' }),
    status: z.enum(ENVELOPE_STATUSES),
    receivedAt: z.string(),
    size: z.number().int(),
    contentType: z.string().optional(),
    url: z.string().openapi({ description: 'The public URL the provider called, credential parameters removed' }),
    headers: z.array(z.object({ name: z.string(), value: z.string() })).openapi({ description: 'As received, signature headers dropped' }),
    verification: z.object({ secretId: z.string().optional(), signedAt: z.string().optional() }),
    attempts: z.number().int(),
    replayCount: z.number().int(),
    lastReplayedAt: z.string().optional(),
    settledAt: z.string().optional(),
    outcome: z.object({ reason: z.string().optional(), handlers: z.array(z.string()).optional() }).optional(),
    error: z.object({ name: z.string(), message: z.string(), at: z.string() }).optional(),
  })
  .openapi('WebhookEvent');

const WebhookEventWithBodySchema = WebhookEventSchema.extend({
  body: z.string().openapi({ description: 'The raw bytes received, base64' }),
  bodyEncoding: z.literal('base64'),
}).openapi('WebhookEventWithBody');

const instant = z.iso.datetime({ offset: true });

const Filters = {
  connectionId: z.string().min(1).max(64).optional(),
  status: z.enum(ENVELOPE_STATUSES).optional(),
  since: instant.optional().openapi({ description: 'Received at or after (ISO 8601)' }),
  until: instant.optional().openapi({ description: 'Received before (ISO 8601)' }),
};

const ListQuery = z.object({
  ...Filters,
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const BulkReplayBody = z
  .object({ ...Filters, limit: z.number().int().min(1).max(BULK_REPLAY_MAX).default(1000) })
  .strict()
  .openapi('WebhookEventReplayFilter');

const ReplayAnswer = z.object({ eventId: z.string(), jobId: z.string(), replayCount: z.number().int(), status: z.literal('received') });

const list = createRoute({
  method: 'get',
  path: '/v1/webhook-events',
  tags: ['webhooks'],
  summary: 'List received webhooks, newest first (bodies only on the single read)',
  security: bearerSecurity,
  middleware: [requireAuth(...ROLES)] as const,
  request: { query: ListQuery },
  responses: {
    200: { description: 'One page', content: { 'application/json': { schema: pageOf(WebhookEventSchema) } } },
    ...problemResponses(400, 401, 403),
  },
});

const read = createRoute({
  method: 'get',
  path: '/v1/webhook-events/{id}',
  tags: ['webhooks'],
  summary: 'Read one received webhook with its raw body',
  security: bearerSecurity,
  middleware: [requireAuth(...ROLES)] as const,
  request: { params: IdParam },
  responses: {
    200: { description: 'The webhook', content: { 'application/json': { schema: WebhookEventWithBodySchema } } },
    ...problemResponses(401, 403, 404),
  },
});

const replayOne = createRoute({
  method: 'post',
  path: '/v1/webhook-events/{id}/replay',
  tags: ['webhooks'],
  summary: 'Process a stored webhook again (e.g. after fixing a mapping)',
  description: 'Sets it back to received and queues it under a new job id. Handlers see the same envelope id, so their side effects stay idempotent.',
  security: bearerSecurity,
  middleware: [requireAuth(...ROLES)] as const,
  request: { params: IdParam },
  responses: {
    202: { description: 'Queued', content: { 'application/json': { schema: ReplayAnswer } } },
    ...problemResponses(401, 403, 404, 409, 503),
  },
});

const replayMany = createRoute({
  method: 'post',
  path: '/v1/webhook-events/replay',
  tags: ['webhooks'],
  summary: 'Process again every stored webhook a filter matches',
  description: `Replays up to \`limit\` (at most ${BULK_REPLAY_MAX}) matching webhooks, oldest first. \`truncated\` says more matched; call again to continue.`,
  security: bearerSecurity,
  middleware: [requireAuth(...ROLES)] as const,
  request: { body: { required: true, content: { 'application/json': { schema: BulkReplayBody } } } },
  responses: {
    202: {
      description: 'Counts',
      content: {
        'application/json': {
          schema: z.object({
            matched: z.number().int(),
            replayed: z.number().int(),
            queued: z.number().int(),
            notQueued: z.number().int().openapi({ description: 'Set back to received but not queued yet; the sweeper queues them' }),
            truncated: z.boolean(),
          }),
        },
      },
    },
    ...problemResponses(400, 401, 403, 415),
  },
});

type WebhookEventOut = z.infer<typeof WebhookEventSchema>;

function eventOut(e: WebhookEnvelopeDoc): WebhookEventOut {
  return {
    id: e._id,
    connectionId: e.connectionId,
    connector: e.connectorId,
    scheme: e.scheme,
    eventKey: e.eventKey,
    status: e.status,
    receivedAt: e.receivedAt.toISOString(),
    size: e.size,
    ...(e.contentType ? { contentType: e.contentType } : {}),
    url: e.url,
    headers: e.headers,
    verification: {
      ...(e.verification.secretId ? { secretId: e.verification.secretId } : {}),
      ...(e.verification.signedAt ? { signedAt: e.verification.signedAt.toISOString() } : {}),
    },
    attempts: e.attempts,
    replayCount: e.replayCount,
    ...(e.lastReplayedAt ? { lastReplayedAt: e.lastReplayedAt.toISOString() } : {}),
    ...(e.settledAt ? { settledAt: e.settledAt.toISOString() } : {}),
    ...(e.outcome ? { outcome: e.outcome } : {}),
    ...(e.error ? { error: { name: e.error.name, message: e.error.message, at: e.error.at.toISOString() } } : {}),
  };
}

function queryOf(q: { connectionId?: string; status?: EnvelopeQuery['status']; since?: string; until?: string }): EnvelopeQuery {
  return {
    ...(q.connectionId !== undefined ? { connectionId: q.connectionId } : {}),
    ...(q.status !== undefined ? { status: q.status } : {}),
    ...(q.since !== undefined ? { since: new Date(q.since) } : {}),
    ...(q.until !== undefined ? { until: new Date(q.until) } : {}),
  };
}

export function registerWebhookEventRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const page = await c
      .get('db')
      .collection(webhookEnvelopesCollection)
      .page(envelopeFilter(queryOf(q)), { sortBy: '_id', direction: -1, limit: q.limit, cursor: q.cursor ?? null });
    return c.json({ items: page.items.map(eventOut), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(read, async (c) => {
    const envelope = await c.get('db').collection(webhookEnvelopesCollection).findById(c.req.valid('param').id);
    if (!envelope) throw new ApiError('not_found', { detail: 'No such webhook event' });
    return c.json({ ...eventOut(envelope), body: envelope.body, bodyEncoding: 'base64' as const }, 200);
  });

  app.openapi(replayOne, async (c) => {
    const { queues, now } = c.get('services');
    const result = await replayEnvelope({ db: c.get('db'), queues, now }, c.req.valid('param').id);
    if (!result.ok) throw new ApiError('not_found', { detail: 'No such webhook event' });
    if (!result.queued) {
      throw new ApiError('service_unavailable', {
        detail: 'The event is set to be processed again but could not be queued yet; it is queued when the queue answers',
        headers: { 'Retry-After': '10' },
      });
    }
    const e = result.envelope;
    return c.json({ eventId: e._id, jobId: e.jobId, replayCount: e.replayCount, status: 'received' as const }, 202);
  });

  app.openapi(replayMany, async (c) => {
    const body = c.req.valid('json');
    const { queues, now } = c.get('services');
    const db = c.get('db');
    const envelopes = db.collection(webhookEnvelopesCollection);
    const filter = envelopeFilter(queryOf(body));
    const matched = await envelopes.count(filter);
    const ids = await envelopes.find(filter, { sort: { _id: 1 }, limit: body.limit, projection: { _id: 1 } });
    let replayed = 0;
    let queued = 0;
    for (const { _id } of ids) {
      const result = await replayEnvelope({ db, queues, now }, _id);
      if (!result.ok) continue;
      replayed += 1;
      if (result.queued) queued += 1;
    }
    return c.json({ matched, replayed, queued, notQueued: replayed - queued, truncated: matched > ids.length }, 202);
  });
}
