import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { InvalidCursorError, VersionConflictError } from '../core/store/index.ts';
import type { AppEnv, Services } from './app-env.ts';
import { ApiError, problemBody, type ApiErrorCode } from './errors/index.ts';
import { guardBody } from './middleware/guard-body.ts';
import { requestContext } from './middleware/request-context.ts';
import { registerApiKeyRoutes } from './routes/api-keys.ts';
import { registerConnectionRoutes } from './routes/connections.ts';
import { registerConnectorRoutes } from './routes/connectors.ts';
import { registerCustomFieldRoutes } from './routes/custom-fields.ts';
import { registerDocsRoutes } from './routes/docs.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerMappingRoutes } from './routes/mappings.ts';
import { registerMeRoute } from './routes/me.ts';
import { registerMetricsRoute } from './routes/metrics.ts';
import { registerRuleRoutes } from './routes/rules.ts';
import { registerTemplateRoutes } from './routes/templates.ts';
import { registerTenantRoutes } from './routes/tenants.ts';
import { registerWebhookEventRoutes } from './routes/webhook-events.ts';
import { pathStart, registerWebhookHookRoutes } from './routes/webhook-hooks.ts';
import { registerWorkflowRoutes } from './routes/workflows.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerDisputeRoutes } from './routes/disputes.ts';
import { registerMilestoneTransitionRoutes } from './routes/milestone-transitions.ts';
import { registerMilestoneRoutes } from './routes/milestones.ts';
import { registerOwnershipRoutes } from './routes/ownership.ts';
import { registerPeopleRoutes } from './routes/people.ts';
import { registerProjectMilestoneRoutes } from './routes/project-milestones.ts';
import { registerProjectRoutes } from './routes/projects.ts';
import { registerVerificationRoutes } from './routes/verifications.ts';
import { registerProbeRoutes } from './routes/probes.ts';
import { registerProbePolicyRoutes } from './routes/probe-policy.ts';
import { registerEscalationRoutes } from './routes/escalations.ts';
import { registerEscalationPolicyRoutes } from './routes/escalation-policies.ts';
import { registerSyncRoutes } from './routes/sync.ts';
import { registerDeadLetterRoutes } from './routes/dead-letters.ts';
import { registerTenantSettingsRoutes } from './routes/tenant-settings.ts';
import { registerInvoiceRoutes } from './routes/invoices.ts';
import { registerPaymentRoutes } from './routes/payments.ts';
import { registerPaymentReviewRoutes } from './routes/payment-reviews.ts';
import { registerAnalyticsRoutes } from './routes/analytics.ts';
import { registerNotificationRoutes } from './routes/notifications.ts';
import { registerMessageTemplateRoutes } from './routes/message-templates.ts';
import { registerNotificationSettingsRoutes } from './routes/notification-settings.ts';
import { registerContactPreferenceRoutes } from './routes/contact-preferences.ts';
import { registerWhatsAppWebLoginRoutes } from './routes/whatsapp-web-login.ts';

export type HubApp = OpenAPIHono<AppEnv>;

/** A route module: adds its routes to the app. One per resource. */
export type RegisterRoutes = (app: HubApp) => void;

const ROUTES: RegisterRoutes[] = [
  registerHealthRoutes,
  registerMetricsRoute,
  registerDocsRoutes,
  registerTenantRoutes,
  registerMeRoute,
  registerApiKeyRoutes,
  registerConnectorRoutes,
  registerConnectionRoutes,
  registerMappingRoutes,
  registerWebhookHookRoutes,
  registerWebhookEventRoutes,
  registerWorkflowRoutes,
  registerRuleRoutes,
  registerCustomFieldRoutes,
  registerTemplateRoutes,
  registerProjectRoutes,
  registerProjectMilestoneRoutes,
  registerPeopleRoutes,
  registerMilestoneRoutes,
  registerMilestoneTransitionRoutes,
  registerVerificationRoutes,
  registerDisputeRoutes,
  registerOwnershipRoutes,
  registerAuditRoutes,
  registerSyncRoutes,
  registerDeadLetterRoutes,
  registerTenantSettingsRoutes,
  registerInvoiceRoutes,
  registerPaymentRoutes,
  registerPaymentReviewRoutes,
  registerAnalyticsRoutes,
  registerNotificationRoutes,
  registerMessageTemplateRoutes,
  registerNotificationSettingsRoutes,
  registerContactPreferenceRoutes,
  registerWhatsAppWebLoginRoutes,
  registerProbeRoutes,
  registerProbePolicyRoutes,
  registerEscalationRoutes,
  registerEscalationPolicyRoutes,
];

/** Paths under /v1 whose bodies are not JSON, with the media types they take. */
const BODY_TYPES: [prefix: string, types: string[]][] = [
  ['/v1/mappings', ['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml']],
  // Milestone import takes CSV; the other project routes still declare JSON only and refuse it.
  ['/v1/projects', ['application/json', 'application/merge-patch+json', 'text/csv']],
];

/**
 * Builds the HTTP app over the given services. No module-level state: tests build their own.
 */
export function createApp(services: Services, options: { extraRoutes?: RegisterRoutes[] } = {}): HubApp {
  const app: HubApp = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError('validation_failed', {
          detail: 'Some fields are missing or invalid; see errors',
          errors: result.error.issues.map((i) => ({
            path: [result.target === 'json' ? 'body' : result.target, ...i.path.map(String)].join('.'),
            message: i.message,
            code: i.code,
          })),
        });
      }
    },
  });

  const context = requestContext({ services });
  app.use('*', context);
  const hookless = guardBody({
    maxBytes: services.config.bodyLimitBytes,
    accept: (path) => BODY_TYPES.find(([prefix]) => path.startsWith(prefix))?.[1] ?? ['application/json', 'application/merge-patch+json'],
  });
  // Registered for body-carrying methods only, so reads skip it entirely.
  app.on(['POST', 'PUT', 'PATCH'], '/v1/*', async function guardApiBodies(c, next) {
    // Webhook ingestion reads raw bytes under its own per-connection cap.
    if (c.req.path.startsWith(HOOKS_PREFIX)) return next();
    return hookless(c, next);
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A tenant API key, or the platform token for /v1/tenants',
  });
  for (const register of [...ROUTES, ...(options.extraRoutes ?? [])]) register(app);

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Milestone Hub API',
      version: '1',
      description: 'Milestone-based payments: projects, milestones, verification, invoices and payments, and the connectors that sync them.',
    },
    servers: [{ url: services.config.publicUrl }],
  });

  // 405 is decided only once no route matched, instead of by a middleware on every request.
  const allowedMethods = methodsByPath(app);
  app.notFound((c) => {
    const methods = allowedMethods(c.req.path);
    if (methods.length > 0) {
      return problem(c, new ApiError('method_not_allowed', { detail: `Use ${methods.join(', ')}`, headers: { Allow: methods.join(', ') } }));
    }
    return problem(c, new ApiError('not_found', { detail: `No route for ${c.req.method} ${c.req.path}` }));
  });
  app.onError(answerError);
  return withHookDeliveryLane(app, context);
}

/**
 * Webhook deliveries are the busiest requests and all go to one route. They skip the full route
 * table (hundreds of entries, searched with wildcard middleware on every request) for an app that
 * holds that route alone, behind the same request context and error handling; the route stays in
 * the main app too, for the API document and for every other method and path. Deliveries are
 * exactly `POST /v1/hooks/{connectionId}`, with or without a query.
 */
function withHookDeliveryLane(app: HubApp, context: ReturnType<typeof requestContext>): HubApp {
  const lane: HubApp = new OpenAPIHono<AppEnv>();
  lane.use('*', context);
  registerWebhookHookRoutes(lane);
  lane.onError(answerError);
  const all = app.fetch;
  app.fetch = (request, env, executionCtx) => (request.method === 'POST' && isHookDelivery(request.url) ? lane.fetch(request, env, executionCtx) : all(request, env, executionCtx));
  return app;
}

const HOOKS_PREFIX = '/v1/hooks/';

/** Every thrown error's answer, in the main app and the delivery lane alike: problem+json. */
const answerError = (err: Error, c: Context<AppEnv>): Response => problem(c, toApiError(err, c));

/** Whether the path of `url` is `/v1/hooks/` and one non-empty segment. */
export function isHookDelivery(url: string): boolean {
  const start = pathStart(url);
  if (start < 0 || !url.startsWith(HOOKS_PREFIX, start)) return false;
  const from = start + HOOKS_PREFIX.length;
  const query = url.indexOf('?', from);
  const end = query < 0 ? url.length : query;
  if (end === from) return false;
  const slash = url.indexOf('/', from);
  return slash < 0 || slash >= end;
}

/** The methods each concrete route path answers, read from the app's routes on first use. */
function methodsByPath(app: HubApp): (path: string) => string[] {
  let table: { re: RegExp; method: string }[] | undefined;
  return (path) => {
    table ??= app.routes
      // Middleware and catch-alls (method ALL, wildcard paths) say nothing about what a path answers.
      .filter((r) => r.method !== 'ALL' && !r.path.includes('*'))
      .map((r) => ({
        method: r.method,
        re: new RegExp(
          `^${r.path
            .split('/')
            .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
            .join('/')}/?$`,
        ),
      }));
    const methods = new Set(table.filter((t) => t.re.test(path)).map((t) => t.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}

const HTTP_STATUS_CODES: Partial<Record<number, ApiErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

function toApiError(err: unknown, c: Context<AppEnv>): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof VersionConflictError) {
    return new ApiError('version_conflict', { detail: `This resource is now at version ${err.actual}; reload it and retry`, extra: { currentVersion: err.actual } });
  }
  if (err instanceof InvalidCursorError) return new ApiError('invalid_cursor', { detail: err.message });
  if (err instanceof HTTPException) {
    if (err.status === 400) {
      return /json/i.test(err.message)
        ? new ApiError('invalid_json', { detail: 'The body could not be parsed as JSON' })
        : new ApiError('validation_failed', { detail: err.message });
    }
    const code = HTTP_STATUS_CODES[err.status];
    if (code) return new ApiError(code);
  }
  const services = c.get('services') as Services | undefined;
  services?.logger.error({ err, requestId: c.get('requestId'), method: c.req.method, path: c.req.path }, 'unhandled error');
  return new ApiError('internal', { detail: 'Something went wrong on our side; quote the request id when reporting it' });
}

function problem(c: Context<AppEnv>, err: ApiError): Response {
  const body = problemBody(err, c.get('requestId') ?? 'unknown', c.req.path);
  return new Response(JSON.stringify(body), {
    status: err.status,
    headers: {
      'Content-Type': 'application/problem+json',
      'X-Request-Id': c.get('requestId') ?? '',
      ...(err.headers ?? {}),
    },
  });
}
