import type { Hono } from 'hono';
import { oauthError } from './quickbooks-error.ts';
import type { QuickBooksContext, QuickBooksEnv } from './quickbooks-context.ts';

async function formOrJson(text: string, contentType: string | undefined): Promise<URLSearchParams> {
  if (contentType?.includes('application/json')) {
    const parsed = JSON.parse(text || '{}') as Record<string, string>;
    return new URLSearchParams(parsed);
  }
  return new URLSearchParams(text);
}

/** Intuit's OAuth 2.0 endpoints: authorize (consent skipped), token and revoke. */
export function registerOAuthRoutes(app: Hono<QuickBooksEnv>, ctx: QuickBooksContext, defaultRealm: () => string): void {
  app.post('/oauth2/v1/tokens/bearer', async (c) => {
    const params = await formOrJson(await c.req.text(), c.req.header('content-type'));
    return c.json(ctx.tokens.grant(c.req.header('authorization'), params));
  });

  app.post('/oauth2/v1/tokens/revoke', async (c) => {
    ctx.tokens.checkClient(c.req.header('authorization'));
    const params = await formOrJson(await c.req.text(), c.req.header('content-type'));
    if (!ctx.tokens.revoke(params.get('token') ?? '')) throw oauthError(400, 'invalid_token');
    return c.body(null, 200);
  });

  // The consent screen always approves; what matters to a connector is the redirect it produces.
  app.get('/connect/oauth2', (c) => {
    const redirectUri = c.req.query('redirect_uri');
    if (!redirectUri) throw oauthError(400, 'invalid_request');
    const realmId = defaultRealm();
    const target = new URL(redirectUri);
    target.searchParams.set('code', ctx.tokens.issueAuthorizationCode(realmId, redirectUri));
    target.searchParams.set('realmId', realmId);
    const state = c.req.query('state');
    if (state !== undefined) target.searchParams.set('state', state);
    return c.redirect(target.toString(), 302);
  });
}
