import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { authorizationFailed, throttled } from './quickbooks-error.ts';
import type { QuickBooksContext, QuickBooksEnv } from './quickbooks-context.ts';

const WINDOW_MS = 60_000;

/**
 * Intuit's API gateway in front of the data services: bearer token, company access, per-company
 * throttling, and the `intuit_tid` header support staff ask for.
 */
export function registerGateway(app: Hono<QuickBooksEnv>, ctx: QuickBooksContext): void {
  app.use('/v3/company/:realmId/*', async (c, next) => {
    c.header('intuit_tid', randomUUID());
    const tokenRealm = ctx.tokens.realmOf(c.req.header('authorization'));
    const realmId = c.req.param('realmId');
    const company = ctx.companies.get(realmId);
    if (!company || tokenRealm !== realmId) throw authorizationFailed();
    const now = ctx.clock.now();
    const recent = (ctx.recentRequests.get(realmId) ?? []).filter((at) => now - at < WINDOW_MS);
    if (recent.length >= ctx.requestsPerMinute) {
      ctx.recentRequests.set(realmId, recent);
      throw throttled();
    }
    recent.push(now);
    ctx.recentRequests.set(realmId, recent);
    c.set('company', company);
    await next();
  });
}
