import type { Hono } from 'hono';
import { SalesforceError, oauthError } from './salesforce-error.ts';
import type { SalesforceContext, SalesforceEnv } from './salesforce-context.ts';

/** The login server: token grants, revocation, the authorize redirect and the identity URL. */
export function registerOAuthRoutes(app: Hono<SalesforceEnv>, ctx: SalesforceContext): void {
  app.post('/services/oauth2/token', async (c) => {
    const params = new URLSearchParams(await c.req.text());
    // Salesforce also accepts client credentials in a Basic header.
    const basic = /^Basic\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
    if (basic?.[1]) {
      const [id = '', secret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      if (!params.has('client_id')) params.set('client_id', decodeURIComponent(id));
      if (!params.has('client_secret')) params.set('client_secret', decodeURIComponent(secret));
    }
    return c.json(ctx.tokens.grant(params, ctx.baseUrl()));
  });

  app.post('/services/oauth2/revoke', async (c) => {
    const params = new URLSearchParams(await c.req.text());
    const token = params.get('token') ?? c.req.query('token') ?? '';
    if (!ctx.tokens.revoke(token)) throw oauthError(400, 'unsupported_token_type', 'this token type is not supported');
    return c.body(null, 200);
  });

  app.get('/services/oauth2/authorize', (c) => {
    const redirectUri = c.req.query('redirect_uri');
    if (!redirectUri) throw oauthError(400, 'redirect_uri_missing', 'redirect_uri must not be empty');
    const target = new URL(redirectUri);
    target.searchParams.set('code', ctx.tokens.issueAuthorizationCode(redirectUri));
    const state = c.req.query('state');
    if (state !== undefined) target.searchParams.set('state', state);
    return c.redirect(target.toString(), 302);
  });

  app.get('/id/:orgId/:userId', (c) => {
    const token = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!ctx.tokens.isValid(token)) throw new SalesforceError(403, 'Bad_OAuth_Token', 'Bad_OAuth_Token', { body: 'Bad_OAuth_Token' });
    const base = ctx.baseUrl();
    return c.json({
      id: `${base}/id/${ctx.orgId}/${ctx.userId}`,
      asserted_user: true,
      user_id: ctx.userId,
      organization_id: ctx.orgId,
      username: 'integration@milestone-hub.example',
      display_name: 'Integration User',
      active: true,
      user_type: 'STANDARD',
      urls: {
        rest: `${base}/services/data/v{version}/`,
        sobjects: `${base}/services/data/v{version}/sobjects/`,
        query: `${base}/services/data/v{version}/query/`,
      },
    });
  });
}
