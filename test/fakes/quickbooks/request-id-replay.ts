import type { Hono } from 'hono';
import type { QuickBooksContext, QuickBooksEnv } from './quickbooks-context.ts';

/**
 * Replays the stored response for a write whose `requestid` was seen before, without running it
 * again. Only answers the handler produced are stored; a failure injected by a test or refused at
 * the gateway never reached the company, so a retry with the same id runs for real.
 */
export function registerRequestIdReplay(app: Hono<QuickBooksEnv>, ctx: QuickBooksContext): void {
  app.use('/v3/company/:realmId/*', async (c, next) => {
    const requestId = c.req.query('requestid');
    if (c.req.method !== 'POST' || !requestId) return next();
    const realmId = c.req.param('realmId');
    const cached = ctx.idempotency.get(realmId, requestId);
    if (cached) {
      return new Response(cached.body, { status: cached.status, headers: { 'content-type': cached.contentType } });
    }
    await next();
    const copy = c.res.clone();
    ctx.idempotency.set(realmId, requestId, {
      status: copy.status,
      body: await copy.text(),
      contentType: copy.headers.get('content-type') ?? 'application/json',
    });
  });
}
