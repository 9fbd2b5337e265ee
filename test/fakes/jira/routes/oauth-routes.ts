import { Hono } from 'hono';
import type { FakeDeps, FakeEnv } from '../fake-context.ts';

/**
 * Atlassian's token endpoint (`https://auth.atlassian.com/oauth/token`) and the gateway's
 * accessible-resources lookup, enough for a connector's refresh-token loop.
 */
export function oauthRoutes(deps: FakeDeps): Hono<FakeEnv> {
  const app = new Hono<FakeEnv>();

  app.post('/oauth/token', async (c) => {
    const raw = c.get('rawBody');
    let params: Record<string, string>;
    if ((c.req.header('content-type') ?? '').includes('application/x-www-form-urlencoded')) {
      params = Object.fromEntries(new URLSearchParams(raw));
    } else {
      try {
        params = JSON.parse(raw || '{}') as Record<string, string>;
      } catch {
        return c.json({ error: 'invalid_request', error_description: 'Malformed request body' }, 400);
      }
    }
    if (params.grant_type !== 'refresh_token') {
      return c.json({ error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${String(params.grant_type)}` }, 400);
    }
    const result = deps.auth.refresh({
      clientId: String(params.client_id ?? ''),
      clientSecret: String(params.client_secret ?? ''),
      refreshToken: String(params.refresh_token ?? ''),
    });
    if (!result.ok) return c.json({ error: result.error, error_description: result.description }, result.status as 401 | 403);
    return c.json({
      access_token: result.grant.accessToken,
      refresh_token: result.grant.refreshToken,
      expires_in: result.grant.expiresIn,
      scope: 'read:jira-work write:jira-work read:jira-user offline_access',
      token_type: 'Bearer',
    });
  });

  app.get('/oauth/token/accessible-resources', (c) =>
    c.json([
      {
        id: deps.cloudId,
        url: deps.siteUrl(),
        name: 'milestone-hub-fake',
        scopes: ['read:jira-work', 'write:jira-work', 'read:jira-user'],
        avatarUrl: `${deps.siteUrl()}/images/site-avatar.png`,
      },
    ]),
  );

  return app;
}
