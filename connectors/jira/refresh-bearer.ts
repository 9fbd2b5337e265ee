import { AuthExpiredError } from '../sdk/index.ts';
import type { JiraContext } from './jira-context.ts';
import { ATLASSIAN_TOKEN_URL, isOAuth, type JiraOAuthCredentials } from './jira-settings.ts';
import { vendorErrorFromJira } from './vendor-error-from-jira.ts';

// Keyed by context, so calls sharing one context share one exchange.
const refreshing = new WeakMap<JiraContext, Promise<void>>();

/**
 * Replaces a rejected access token through the token endpoint and saves the new credentials.
 * Atlassian rotates refresh tokens (a used one is refused), so calls that saw the same 401
 * together share one exchange, and a token already replaced is not exchanged again.
 */
export async function refreshBearer(ctx: JiraContext, rejectedToken: string): Promise<void> {
  const pending = refreshing.get(ctx);
  if (pending !== undefined) return pending;
  const current = ctx.credentials;
  if (!isOAuth(current) || current.bearer !== rejectedToken) return;
  const exchange = exchangeRefreshToken(ctx, current).finally(() => refreshing.delete(ctx));
  refreshing.set(ctx, exchange);
  return exchange;
}

async function exchangeRefreshToken(ctx: JiraContext, credentials: JiraOAuthCredentials): Promise<void> {
  const { refreshToken, clientId, clientSecret } = credentials;
  if (refreshToken === undefined || clientId === undefined || clientSecret === undefined) {
    throw new AuthExpiredError('Jira rejected the access token and the credentials hold no refresh token');
  }
  const res = await ctx.fetch(credentials.tokenUrl ?? ATLASSIAN_TOKEN_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken }),
    signal: ctx.signal,
  });
  const text = await res.text().catch(() => '');
  if (res.status === 400 || res.status === 401 || res.status === 403) {
    const code = oauthErrorCode(text);
    throw new AuthExpiredError(`the token endpoint refused the refresh token (${res.status}${code === undefined ? '' : ` ${code}`}); authorise the connection again`, { status: res.status });
  }
  if (res.status >= 400) throw vendorErrorFromJira('token refresh', { status: res.status, headers: res.headers, text }, ctx.now());
  let body: { access_token?: unknown; refresh_token?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (typeof body?.access_token !== 'string' || body.access_token === '') {
    throw new AuthExpiredError('the token endpoint answered without an access_token', { status: res.status });
  }
  const rotated = typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : refreshToken;
  await ctx.saveCredentials({ ...credentials, bearer: body.access_token, refreshToken: rotated });
  ctx.logger.info({ connectionId: ctx.connectionId }, 'refreshed the Jira access token');
}

// Only the standard error code is kept: descriptions may echo what was sent.
function oauthErrorCode(text: string): string | undefined {
  try {
    const error = (JSON.parse(text) as { error?: unknown }).error;
    return typeof error === 'string' && /^[a-z_]{1,64}$/.test(error) ? error : undefined;
  } catch {
    return undefined;
  }
}
