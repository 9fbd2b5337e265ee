import type { Hono, MiddlewareHandler } from 'hono';
import { SalesforceError, invalidSession, notFound } from './salesforce-error.ts';
import type { SalesforceContext, SalesforceEnv } from './salesforce-context.ts';
import { LATEST_API_VERSION, OLDEST_API_VERSION } from './salesforce-context.ts';

/**
 * Everything under `/services/data/vXX.X` passes here: the version must exist, the session must
 * be live, and each call counts against the org's daily API allowance, reported back in
 * `Sforce-Limit-Info` the way jsforce reads it into `conn.limitInfo`.
 */
export function registerApiGate(app: Hono<SalesforceEnv>, ctx: SalesforceContext): void {
  const gate: MiddlewareHandler<SalesforceEnv> = async (c, next) => {
    const m = /^v(\d{2})\.0$/.exec(c.req.param('version') ?? '');
    const major = m ? Number(m[1]) : Number.NaN;
    if (!(major >= OLDEST_API_VERSION && major <= LATEST_API_VERSION)) throw notFound();
    c.set('version', `${major}.0`);
    const token = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!ctx.tokens.isValid(token)) throw invalidSession();
    if (ctx.apiUsage.used >= ctx.apiUsage.max) {
      throw new SalesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    ctx.apiUsage.used++;
    c.header('Sforce-Limit-Info', `api-usage=${ctx.apiUsage.used}/${ctx.apiUsage.max}`);
    await next();
  };
  app.use('/services/data/:version', gate);
  app.use('/services/data/:version/*', gate);
}
