import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Histogram } from 'prom-client';
import type { Logger } from 'pino';
import type { AppEnv, Services } from '../app-env.ts';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A request header by lower-case name, as a Fetch `Headers` object gives it (repeated headers
 * joined with `, `). Under the Node server it is read from the incoming message's raw header list,
 * which saves building a `Headers` object (or Node's header map) for every request.
 */
export function requestHeader(c: Context, lowerName: string): string | null {
  const raw = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.rawHeaders;
  if (raw === undefined) return c.req.raw.headers.get(lowerName);
  let value: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) {
      const v = raw[i + 1]!.trim();
      value = value === null ? v : `${value}, ${v}`;
    }
  }
  return value;
}

/**
 * What every request needs before its route runs and after it answers, in one middleware (one
 * layer of the chain instead of three): its id (the caller's `X-Request-Id` when safe to echo,
 * otherwise a new one, sent back), the services, and one histogram sample and one access log
 * line labelled by route pattern (never the raw path, which would leak ids into metric labels).
 * @default headerName 'X-Request-Id'
 */
export function requestContext({
  services,
  headerName = 'X-Request-Id',
  generator = () => randomUUID(),
}: {
  services: Services;
  headerName?: string;
  generator?: () => string;
}): MiddlewareHandler<AppEnv> {
  const histogram = new Histogram({
    name: 'hub_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [services.metrics],
  });
  // Access lines carry only the fixed fields below, none secret, so they skip redaction's cost.
  const access: Logger = services.logger.child({}, { redact: [] });
  const lowerHeader = headerName.toLowerCase();

  return async function requestContextMiddleware(c, next) {
    const start = performance.now();
    const incoming = requestHeader(c, lowerHeader);
    const id = incoming !== null && SAFE_ID.test(incoming) ? incoming : generator();
    c.set('requestId', id);
    c.set('services', services);
    // Set before the handler so it is part of the response as built; setting a header on a
    // finished response makes Hono copy the whole response. Under the Node server it goes on the
    // outgoing message, which merges it into whatever the handler answers: a header set through
    // Hono would make every response carry a Fetch `Headers` object instead of a plain record.
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    if (outgoing !== undefined && !outgoing.headersSent) outgoing.setHeader(headerName, id);
    else c.header(headerName, id);
    try {
      await next();
    } finally {
      const seconds = (performance.now() - start) / 1000;
      const status = c.res.status;
      const route = c.get('routePattern') ?? (status === 404 ? 'unmatched' : routePath(c));
      histogram.observe({ method: c.req.method, route, status: statusLabel(status) }, seconds);
      if (access.isLevelEnabled('info')) {
        access.info({ requestId: id, method: c.req.method, route, status, ms: Math.round(seconds * 10_000) / 10, tenantId: c.get('auth')?.tenant._id }, 'request');
      }
    }
  };
}

// Status labels are a handful of values; reusing their strings spares a conversion per request.
const STATUS_LABELS = new Map<number, string>();
function statusLabel(status: number): string {
  let label = STATUS_LABELS.get(status);
  if (label === undefined) {
    label = String(status);
    if (STATUS_LABELS.size < 1000) STATUS_LABELS.set(status, label);
  }
  return label;
}
