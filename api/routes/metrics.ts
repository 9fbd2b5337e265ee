import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';

/** Prometheus text exposition; kept out of the OpenAPI document on purpose. */
export function registerMetricsRoute(app: OpenAPIHono<AppEnv>): void {
  app.get('/metrics', async (c) => {
    const registry = c.get('services').metrics;
    return c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
  });
}
