import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Histogram, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { AppEnv } from '../app-env.ts';

/**
 * Records one histogram sample and one log line per request, labelled by route pattern (never the
 * raw path, which would leak ids into metric labels).
 */
export function observeRequest({ registry }: { registry: Registry }): MiddlewareHandler<AppEnv> {
  const histogram = new Histogram({
    name: 'hub_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // Access lines carry only the fixed fields below, none secret, so they skip redaction's cost.
  const accessLoggers = new WeakMap<Logger, Logger>();
  const accessLogger = (logger: Logger): Logger => {
    let l = accessLoggers.get(logger);
    if (!l) {
      l = logger.child({}, { redact: [] });
      accessLoggers.set(logger, l);
    }
    return l;
  };
  return async function observeRequestMiddleware(c, next) {
    const start = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - start) / 1000;
      const route = c.get('routePattern') ?? (c.res.status === 404 ? 'unmatched' : routePath(c));
      histogram.observe({ method: c.req.method, route, status: String(c.res.status) }, seconds);
      const logger = c.get('services').logger;
      if (logger.isLevelEnabled('info')) {
        accessLogger(logger).info(
          {
            requestId: c.get('requestId'),
            method: c.req.method,
            route,
            status: c.res.status,
            ms: Math.round(seconds * 10_000) / 10,
            tenantId: c.get('auth')?.tenant._id,
          },
          'request',
        );
      }
    }
  };
}
