import { createHash } from 'node:crypto';
import { AuthExpiredError, TransientVendorError, UnrecoverableVendorError, vendorErrorFromResponse, type ConnectorContext } from '../sdk/index.ts';
import type { QuickBooksConfig, QuickBooksCredentials } from './quickbooks-settings.ts';

type QuickBooksContext = ConnectorContext<QuickBooksConfig, QuickBooksCredentials>;

interface TokenSet {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: string;
}

// A rotated refresh token stops working at once, so two refreshes with the same one must not
// both reach Intuit: the second would be refused and the connection lost. Exchanges are shared
// per refresh token while they run and remembered a while after, so a call that still holds
// the old token (another job's context, a retry after a failed store) gets the new set instead.
const REMEMBER_MS = 10 * 60_000;
const MAX_REMEMBERED = 1000;
const exchanges = new Map<string, { promise: Promise<TokenSet>; settledAt: number | undefined }>();

function shared(key: string, exchange: () => Promise<TokenSet>): Promise<TokenSet> {
  const now = Date.now();
  for (const [k, entry] of exchanges) {
    if (entry.settledAt !== undefined && now - entry.settledAt > REMEMBER_MS) exchanges.delete(k);
  }
  const known = exchanges.get(key);
  if (known !== undefined) return known.promise;
  if (exchanges.size >= MAX_REMEMBERED) exchanges.delete(exchanges.keys().next().value!);
  const entry: { promise: Promise<TokenSet>; settledAt: number | undefined } = { promise: exchange(), settledAt: undefined };
  exchanges.set(key, entry);
  entry.promise.then(
    () => {
      entry.settledAt = Date.now();
    },
    () => {
      if (exchanges.get(key) === entry) exchanges.delete(key);
    },
  );
  return entry.promise;
}

/**
 * A new access token for the context after `rejected` was refused (or is missing or about to
 * expire). When the context already holds a different token, another call refreshed it and that
 * one is used. Otherwise the refresh token is exchanged at the config's token URL (through the
 * guarded fetch), and the new access token and the rotated refresh token are stored with
 * `saveCredentials`.
 */
export async function refreshAccessToken(ctx: QuickBooksContext, rejected: string | undefined): Promise<string> {
  const held = ctx.credentials;
  if (held.accessToken !== undefined && held.accessToken !== rejected) return held.accessToken;
  const key = createHash('sha256').update(`${ctx.config.tokenUrl}\u0000${held.clientId}\u0000${held.refreshToken}`, 'utf8').digest('hex');
  const tokens = await shared(key, () => exchangeRefreshToken(ctx, held));
  const latest = ctx.credentials;
  if (latest.accessToken !== tokens.accessToken || latest.refreshToken !== tokens.refreshToken) {
    try {
      await ctx.saveCredentials({ ...latest, ...tokens });
    } catch (err) {
      throw new TransientVendorError('QuickBooks: the rotated refresh token could not be stored; a retry within ten minutes stores it again', { cause: err });
    }
    ctx.logger.info({ connectionId: ctx.connectionId, expiresAt: tokens.accessTokenExpiresAt }, 'quickbooks: refreshed the access token');
  }
  return tokens.accessToken;
}

async function exchangeRefreshToken(ctx: QuickBooksContext, credentials: QuickBooksCredentials): Promise<TokenSet> {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`, 'utf8').toString('base64');
  // Not the context's signal: other calls may be waiting on this exchange.
  const res = await ctx.fetch(ctx.config.tokenUrl, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.refreshToken }).toString(),
  });
  if (res.status === 400 || res.status === 401 || res.status === 403) {
    const code = await oauthErrorCode(res);
    throw new AuthExpiredError(`QuickBooks refused to refresh the access token (${res.status}${code === undefined ? '' : ` ${code}`}); an admin must connect the company again`, { status: res.status });
  }
  const failure = await vendorErrorFromResponse(res, { now: ctx.now(), what: 'QuickBooks token refresh' });
  if (failure !== undefined) throw failure;
  const body = (await res.json().catch(() => undefined)) as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown } | undefined;
  if (typeof body?.access_token !== 'string' || body.access_token === '') {
    throw new UnrecoverableVendorError(res.status, '', { message: 'QuickBooks token refresh: the answer holds no access_token' });
  }
  const ttl = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : credentials.refreshToken,
    accessTokenExpiresAt: new Date(ctx.now().getTime() + ttl * 1000).toISOString(),
  };
}

// Only the standard error code: descriptions may echo what was sent.
async function oauthErrorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json().catch(() => undefined)) as { error?: unknown } | undefined;
  return typeof body?.error === 'string' && /^[a-z_]{1,64}$/.test(body.error) ? body.error : undefined;
}
