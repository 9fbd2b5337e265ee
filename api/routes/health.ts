import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors/index.ts';
import { problemResponses } from '../openapi/index.ts';

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['operations'],
  summary: 'Liveness: the process answers',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } } },
});

const ready = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['operations'],
  summary: 'Readiness: the store and Redis answer',
  responses: {
    200: {
      description: 'Ready',
      content: { 'application/json': { schema: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.string()) }) } },
    },
    ...problemResponses(503),
  },
});

export function registerHealthRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(health, (c) => c.json({ status: 'ok' as const }, 200));
  app.openapi(ready, async (c) => {
    const checks: Record<string, string> = {};
    let failed = false;
    await Promise.all(
      c.get('services').readiness.map(async (r) => {
        try {
          await withTimeout(r.check(), 2000);
          checks[r.name] = 'ok';
        } catch (err) {
          failed = true;
          checks[r.name] = `unavailable: ${(err as Error).message}`;
        }
      }),
    );
    if (failed) throw new ApiError('service_unavailable', { detail: 'A dependency is not answering', extra: { checks } });
    return c.json({ status: 'ready' as const, checks }, 200);
  });
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
