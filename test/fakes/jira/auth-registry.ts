import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
  /** Seconds, as `expires_in` reports it. */
  expiresIn: number;
  accountId: string;
}

export interface IssueTokenOptions {
  /** Defaults to the first user. */
  accountId?: string;
  /** Lifetime in seconds; Atlassian's access tokens live an hour. */
  expiresInSeconds?: number;
  /** The token stops working after this many authenticated requests, for deterministic refresh tests. */
  maxRequests?: number;
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export type AuthResult =
  | { ok: true; accountId: string; scheme: 'basic' | 'bearer' }
  | { ok: false; scheme: 'basic' | 'bearer' | 'none' };

export type RefreshResult = { ok: true; grant: TokenGrant } | { ok: false; status: number; error: string; description: string };

interface AccessTokenState {
  accountId: string;
  expiresAt: number;
  remainingUses: number;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Who may call the fake: API-token users over Basic auth, and OAuth 2.0 bearer tokens. */
export class AuthRegistry {
  private readonly basic = new Map<string, { apiToken: string; accountId: string }>();
  private readonly accessTokens = new Map<string, AccessTokenState>();
  private readonly refreshTokens = new Map<string, { accountId: string; clientId: string }>();
  private readonly clients: OAuthClient[];
  private readonly now: () => number;
  private readonly defaultTtlSeconds: number;
  private readonly defaultAccountId: string;

  constructor({ now, clients, accessTokenTtlSeconds, defaultAccountId }: { now: () => number; clients: OAuthClient[]; accessTokenTtlSeconds: number; defaultAccountId: string }) {
    this.now = now;
    this.clients = clients;
    this.defaultTtlSeconds = accessTokenTtlSeconds;
    this.defaultAccountId = defaultAccountId;
  }

  addBasic(email: string, apiToken: string, accountId: string): void {
    this.basic.set(email.toLowerCase(), { apiToken, accountId });
  }

  issueToken({ accountId = this.defaultAccountId, expiresInSeconds = this.defaultTtlSeconds, maxRequests }: IssueTokenOptions = {}, clientId = this.clients[0]?.clientId ?? ''): TokenGrant {
    const accessToken = `fake-at-${randomBytes(18).toString('base64url')}`;
    const refreshToken = `fake-rt-${randomBytes(18).toString('base64url')}`;
    this.accessTokens.set(accessToken, {
      accountId,
      expiresAt: this.now() + expiresInSeconds * 1000,
      remainingUses: maxRequests ?? Number.POSITIVE_INFINITY,
    });
    this.refreshTokens.set(refreshToken, { accountId, clientId });
    return { accessToken, refreshToken, expiresIn: expiresInSeconds, accountId };
  }

  /** Expires one access token, or all of them. Refresh tokens keep working. */
  expireToken(accessToken?: string): void {
    for (const [token, state] of this.accessTokens) {
      if (accessToken === undefined || token === accessToken) state.expiresAt = Number.NEGATIVE_INFINITY;
    }
  }

  revokeRefreshToken(refreshToken?: string): void {
    if (refreshToken === undefined) this.refreshTokens.clear();
    else this.refreshTokens.delete(refreshToken);
  }

  authenticate(authorization: string | undefined): AuthResult {
    if (!authorization) return { ok: false, scheme: 'none' };
    const [scheme = '', value = ''] = authorization.split(/\s+/, 2);
    if (scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const email = decoded.slice(0, colon).toLowerCase();
      const entry = colon < 0 ? undefined : this.basic.get(email);
      if (!entry || !sameSecret(entry.apiToken, decoded.slice(colon + 1))) return { ok: false, scheme: 'basic' };
      return { ok: true, accountId: entry.accountId, scheme: 'basic' };
    }
    if (scheme.toLowerCase() === 'bearer') {
      const state = this.accessTokens.get(value);
      if (!state || state.expiresAt <= this.now() || state.remainingUses <= 0) return { ok: false, scheme: 'bearer' };
      state.remainingUses -= 1;
      return { ok: true, accountId: state.accountId, scheme: 'bearer' };
    }
    return { ok: false, scheme: 'none' };
  }

  /** Atlassian rotates refresh tokens: each one is good for a single exchange. */
  refresh({ clientId, clientSecret, refreshToken }: { clientId: string; clientSecret: string; refreshToken: string }): RefreshResult {
    const client = this.clients.find((candidate) => candidate.clientId === clientId);
    if (!client || !sameSecret(client.clientSecret, clientSecret)) {
      return { ok: false, status: 401, error: 'access_denied', description: 'Unauthorized' };
    }
    const entry = this.refreshTokens.get(refreshToken);
    if (!entry || entry.clientId !== clientId) {
      return { ok: false, status: 403, error: 'unauthorized_client', description: 'refresh_token is invalid' };
    }
    this.refreshTokens.delete(refreshToken);
    return { ok: true, grant: this.issueToken({ accountId: entry.accountId }, clientId) };
  }
}
