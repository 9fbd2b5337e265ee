import { AuthExpiredError, vendorErrorFromResponse, type ConnectorContext } from '../sdk/index.ts';
import type { OAuth2Credentials, RestConfig, RestCredentials } from './rest-config-schema.ts';

type RestContext = ConnectorContext<RestConfig, RestCredentials>;

// A token this close to expiry is replaced before use, so it cannot lapse in flight.
const EXPIRY_MARGIN_MS = 60_000;
const DEFAULT_TTL_SECONDS = 3600;

/**
 * The auth header for the next call. OAuth2 client-credentials tokens are cached in the
 * credentials (so every worker reuses them until they near expiry) and replaced when `renew`
 * is set, after a 401.
 */
export async function authHeaders(ctx: RestContext, { renew = false }: { renew?: boolean } = {}): Promise<Record<string, string>> {
  const { auth } = ctx.config;
  const credentials = ctx.credentials as Record<string, string | undefined>;
  switch (auth.type) {
    case 'none':
      return {};
    case 'header':
      return { [credentials.name!]: credentials.value! };
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${credentials.username ?? ''}:${credentials.password ?? ''}`, 'utf8').toString('base64')}` };
    case 'oauth2-client-credentials': {
      const cached = ctx.credentials as OAuth2Credentials;
      const fresh =
        !renew &&
        cached.accessToken !== undefined &&
        cached.accessTokenExpiresAt !== undefined &&
        Date.parse(cached.accessTokenExpiresAt) - EXPIRY_MARGIN_MS > ctx.now().getTime();
      const token = fresh ? cached.accessToken! : await fetchToken(ctx, auth, cached);
      return { authorization: `Bearer ${token}` };
    }
  }
}

async function fetchToken(
  ctx: RestContext,
  auth: Extract<RestConfig['auth'], { type: 'oauth2-client-credentials' }>,
  credentials: OAuth2Credentials,
): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scope !== undefined) form.set('scope', auth.scope);
  if (auth.audience !== undefined) form.set('audience', auth.audience);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (auth.clientAuthentication === 'body') {
    form.set('client_id', credentials.clientId);
    form.set('client_secret', credentials.clientSecret);
  } else {
    // RFC 6749 §2.3.1: form-encode both parts before joining them.
    const user = encodeURIComponent(credentials.clientId);
    const pass = encodeURIComponent(credentials.clientSecret);
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
  }
  const res = await ctx.fetch(auth.tokenUrl, { method: 'POST', headers, body: form.toString(), signal: ctx.signal });
  if (res.status === 400 || res.status === 401 || res.status === 403) {
    const code = await oauthErrorCode(res);
    throw new AuthExpiredError(`the token endpoint refused the client credentials (${res.status}${code === undefined ? '' : ` ${code}`})`, { status: res.status });
  }
  const failure = await vendorErrorFromResponse(res, { now: ctx.now(), what: 'token request' });
  if (failure !== undefined) throw failure;
  const body = (await res.json().catch(() => undefined)) as { access_token?: unknown; expires_in?: unknown } | undefined;
  if (typeof body?.access_token !== 'string' || body.access_token === '') {
    throw new AuthExpiredError('the token endpoint answered without an access_token', { status: res.status });
  }
  const ttl = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : Number(body.expires_in) > 0 ? Number(body.expires_in) : DEFAULT_TTL_SECONDS;
  const expiresAt = new Date(ctx.now().getTime() + ttl * 1000).toISOString();
  await ctx.saveCredentials({ ...credentials, accessToken: body.access_token, accessTokenExpiresAt: expiresAt });
  ctx.logger.info({ connectionId: ctx.connectionId, expiresAt }, 'obtained an OAuth2 access token');
  return body.access_token;
}

// Only the standard error code is kept: descriptions may echo what was sent.
async function oauthErrorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json().catch(() => undefined)) as { error?: unknown } | undefined;
  return typeof body?.error === 'string' && /^[a-z_]{1,64}$/.test(body.error) ? body.error : undefined;
}
