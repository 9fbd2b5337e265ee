import { randomBytes } from 'node:crypto';
import type { FakeClock } from '../shared/index.ts';
import { authenticationFailed, oauthError } from './quickbooks-error.ts';

const ACCESS_TTL_S = 3600;
const REFRESH_TTL_S = 8_726_400;

interface AccessToken {
  realmId: string;
  expiresAt: number;
}

interface RefreshToken {
  realmId: string;
  expiresAt: number;
}

export interface TokenStats {
  /** Successful `refresh_token` grants. */
  refreshes: number;
  issued: number;
  rejected: number;
}

export interface TokenSet {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  x_refresh_token_expires_in: number;
  token_type: 'bearer';
}

/**
 * Intuit's OAuth 2.0 server for one app: access tokens live an hour, refresh tokens about a
 * hundred days, and each refresh hands back a refresh token the app must store. With rotation on
 * (the default) the old refresh token stops working at once, which is what catches a connector
 * that refreshes in two places or forgets to persist the new value.
 */
export class TokenAuthority {
  readonly #clock: FakeClock;
  readonly #clientId: string;
  readonly #clientSecret: string;
  readonly #rotate: boolean;
  readonly #access = new Map<string, AccessToken>();
  readonly #refresh = new Map<string, RefreshToken>();
  readonly #codes = new Map<string, { realmId: string; redirectUri: string }>();
  readonly stats: TokenStats = { refreshes: 0, issued: 0, rejected: 0 };

  constructor({ clock, clientId, clientSecret, rotate }: { clock: FakeClock; clientId: string; clientSecret: string; rotate: boolean }) {
    this.#clock = clock;
    this.#clientId = clientId;
    this.#clientSecret = clientSecret;
    this.#rotate = rotate;
  }

  issue(realmId: string): TokenSet {
    const now = this.#clock.now();
    const access = `eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..${randomBytes(16).toString('base64url')}.${randomBytes(180).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
    this.#access.set(access, { realmId, expiresAt: now + ACCESS_TTL_S * 1000 });
    const refresh = `AB11${Math.floor(now / 1000) + REFRESH_TTL_S}${randomBytes(24).toString('base64url')}`;
    this.#refresh.set(refresh, { realmId, expiresAt: now + REFRESH_TTL_S * 1000 });
    this.stats.issued++;
    return {
      access_token: access,
      refresh_token: refresh,
      expires_in: ACCESS_TTL_S,
      x_refresh_token_expires_in: REFRESH_TTL_S,
      token_type: 'bearer',
    };
  }

  issueAuthorizationCode(realmId: string, redirectUri: string): string {
    const code = `AB1${randomBytes(30).toString('base64url')}`;
    this.#codes.set(code, { realmId, redirectUri });
    return code;
  }

  /** The realm a live access token belongs to; throws Intuit's 401 otherwise. */
  realmOf(authorization: string | undefined): string {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw authenticationFailed('Authorization header missing or not a bearer token');
    const entry = this.#access.get(token);
    if (!entry) throw authenticationFailed('Token invalid');
    if (entry.expiresAt <= this.#clock.now()) throw authenticationFailed(`Token expired: ${token.slice(0, 12)}...`);
    return entry.realmId;
  }

  expireAccessTokens(): void {
    for (const entry of this.#access.values()) entry.expiresAt = 0;
  }

  revoke(token: string): boolean {
    return this.#access.delete(token) || this.#refresh.delete(token);
  }

  grant(authorization: string | undefined, params: URLSearchParams): TokenSet {
    try {
      this.#checkClient(authorization);
      switch (params.get('grant_type')) {
        case 'refresh_token': {
          const token = params.get('refresh_token') ?? '';
          const entry = this.#refresh.get(token);
          if (!entry || entry.expiresAt <= this.#clock.now()) throw oauthError(400, 'invalid_grant');
          if (this.#rotate) this.#refresh.delete(token);
          this.stats.refreshes++;
          const set = this.issue(entry.realmId);
          if (!this.#rotate) {
            this.#refresh.delete(set.refresh_token);
            return { ...set, refresh_token: token };
          }
          return set;
        }
        case 'authorization_code': {
          const code = this.#codes.get(params.get('code') ?? '');
          if (!code || code.redirectUri !== params.get('redirect_uri')) throw oauthError(400, 'invalid_grant');
          this.#codes.delete(params.get('code') ?? '');
          return this.issue(code.realmId);
        }
        default:
          throw oauthError(400, 'unsupported_grant_type');
      }
    } catch (error) {
      this.stats.rejected++;
      throw error;
    }
  }

  checkClient(authorization: string | undefined): void {
    this.#checkClient(authorization);
  }

  #checkClient(authorization: string | undefined): void {
    const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    if (id !== this.#clientId || secret !== this.#clientSecret) throw oauthError(401, 'invalid_client');
  }
}
