import type { HttpBindings } from '@hono/node-server';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { createWebhookIntake, createWebhookSourceResolver, type IntakeResult, type WebhookIntake } from '../../webhooks/index.ts';
import { salesforceOutboundAck } from '../../webhooks/verifiers/index.ts';
import type { AppEnv, Services } from '../app-env.ts';
import { ApiError } from '../errors/index.ts';
import { problemResponses } from '../openapi/index.ts';

const ROUTE = '/v1/hooks/{connectionId}';

// Any string: a malformed id must get the same 404 as an unknown one, not a 400 that tells them apart.
const HookParams = z.object({ connectionId: z.string().openapi({ param: { name: 'connectionId', in: 'path' } }) });

const receive = createRoute({
  method: 'post',
  path: ROUTE,
  tags: ['webhooks'],
  summary: 'Receive a webhook from a connected system (authenticated by its signature)',
  description:
    'Public: the signature is the authentication. Any content type is accepted and the raw bytes are verified against every ' +
    'active secret of the connection with its scheme, deduplicated on the provider event id, stored, and queued. ' +
    'Unknown, paused and deleted connections answer 404; a missing, bad or stale signature answers 401, with the same body whatever failed. ' +
    'A 503 means the event was not stored or not queued: the provider should retry. Salesforce outbound messages are answered with the SOAP acknowledgement.',
  // Declared for the document only: any string is accepted (see HookParams), so checking it on
  // every delivery would cost a validation step for nothing.
  parameters: [{ name: 'connectionId', in: 'path', required: true, schema: { type: 'string' } }],
  responses: {
    200: {
      description: 'Already received; not processed again (Salesforce: the SOAP acknowledgement)',
      content: {
        'application/json': { schema: z.object({ duplicate: z.literal(true) }) },
        'text/xml': { schema: z.string() },
      },
    },
    202: { description: 'Stored and queued', content: { 'application/json': { schema: z.object({ eventId: z.string() }) } } },
    ...problemResponses(400, 401, 404, 413, 503),
  },
});

const handshake = createRoute({
  method: 'get',
  path: ROUTE,
  tags: ['webhooks'],
  summary: "Answer Meta's webhook subscription handshake",
  description:
    'For `meta` connections: answers `hub.mode=subscribe` with `hub.challenge` as plain text when `hub.verify_token` equals one of the ' +
    "connection's active webhook secrets; 403 otherwise. Store the verify token you give Meta as a webhook secret of the connection, " +
    'beside the app secret that signs X-Hub-Signature-256.',
  request: {
    params: HookParams,
    query: z.object({
      'hub.mode': z.string().optional(),
      'hub.verify_token': z.string().optional(),
      'hub.challenge': z.string().optional(),
    }),
  },
  responses: {
    200: { description: 'The challenge, echoed', content: { 'text/plain': { schema: z.string() } } },
    ...problemResponses(403, 404),
  },
});

const notFound = () => new ApiError('not_found', { detail: 'There is no webhook endpoint at this address' });

// One intake per services object, built on first use when the process did not provide one.
const intakes = new WeakMap<Services, WebhookIntake>();

function intakeFor(services: Services): WebhookIntake {
  if (services.webhookIntake) return services.webhookIntake;
  let intake = intakes.get(services);
  if (!intake) {
    intake = createWebhookIntake({
      store: services.store,
      queues: services.queues,
      resolveSource: createWebhookSourceResolver({ store: services.store, vault: services.vault, logger: services.logger, now: services.now }),
      publicUrl: services.config.publicUrl,
      metrics: services.metrics,
      logger: services.logger,
      now: services.now,
      dedupeHours: services.config.webhookDedupeHours,
    });
    intakes.set(services, intake);
  }
  return intake;
}

/** Where the path of an absolute `url` starts (the first `/` after the authority), or -1 when it has none. */
export function pathStart(url: string): number {
  return url.indexOf('/', url.indexOf('//') + 2);
}

/** The path and query exactly as the request line had them, which is what URL-signing schemes sign. */
function pathAndQueryOf(url: string): string {
  const start = pathStart(url);
  return start < 0 ? '/' : url.slice(start);
}

function failure(result: Exclude<IntakeResult, { kind: 'accepted' | 'duplicate' }>): ApiError {
  switch (result.kind) {
    case 'not_found':
      return notFound();
    case 'unauthorized':
      return new ApiError('unauthorized', { detail: 'The webhook signature could not be verified' });
    case 'too_large':
      return new ApiError('payload_too_large', { detail: 'The body is larger than this endpoint accepts' });
    case 'aborted':
      return new ApiError('validation_failed', { detail: 'The body could not be read' });
    case 'unavailable':
      return new ApiError('service_unavailable', { detail: 'The event could not be stored or queued; retry later', headers: { 'Retry-After': '10' } });
  }
}

export function registerWebhookHookRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(receive, async (c) => {
    c.set('routePattern', ROUTE);
    const connectionId = c.req.param('connectionId');
    // Under @hono/node-server the body is read from Node's message, sparing a web stream over it.
    const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
    const result = await intakeFor(c.get('services')).receive({
      connectionId,
      request: c.req.raw,
      pathAndQuery: pathAndQueryOf(c.req.url),
      ...(incoming ? { incoming } : {}),
    });
    if (result.kind !== 'accepted' && result.kind !== 'duplicate') throw failure(result);
    // Salesforce resends anything not acknowledged in its own SOAP shape.
    if (result.scheme === 'salesforce-outbound') return c.body(salesforceOutboundAck(true), 200, { 'Content-Type': 'text/xml; charset=utf-8' });
    if (result.kind === 'duplicate') return c.json({ duplicate: true as const }, 200);
    return c.json({ eventId: result.eventId }, 202);
  });

  app.openapi(handshake, async (c) => {
    c.set('routePattern', ROUTE);
    const { connectionId } = c.req.valid('param');
    const result = await intakeFor(c.get('services')).handshake({ connectionId, query: new URL(c.req.url).searchParams });
    if (result.kind === 'not_found') throw notFound();
    if (result.kind === 'forbidden') throw new ApiError('forbidden', { detail: 'The subscription could not be verified' });
    return c.text(result.challenge, 200);
  });
}
