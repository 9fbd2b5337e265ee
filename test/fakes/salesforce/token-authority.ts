import { createHmac, randomBytes } from 'node:crypto';
import type { FakeClock } from '../shared/index.ts';
import { oauthError } from './salesforce-error.ts';

export interface SalesforceCredentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  redirectUri: string;
}

interface AccessToken {
  expiresAt: number;
  refreshToken?: string;
}

export interface TokenStats {
  /** Successful `refresh_token` grants. */
  refreshes: number;
  /** Every access token handed out, by any grant. */
  issued: number;
  /** Token requests answered with an OAuth error. */
  rejected: number;
}

/**
 * The org's OAuth server: issues access tokens that expire (Salesforce's default session timeout
 * is two hours), honours refresh tokens until revoked, and signs responses the way Salesforce does
 * (HMAC-SHA256 of `id + issued_at` keyed with the client secret).
 */
export class TokenAuthority {
  readonly #clock: FakeClock;
  readonly #credentials: SalesforceCredentials;
  readonly #accessTtlMs: number;
  readonly #orgId: string;
  readonly #userId: string;
  readonly #access = new Map<string, AccessToken>();
  readonly #refresh = new Set<string>();
  readonly #codes = new Map<string, string>();
  readonly stats: TokenStats = { refreshes: 0, issued: 0, rejected: 0 };

  constructor({
    clock,
    credentials,
    accessTtlMs,
    orgId,
    userId,
  }: {
    clock: FakeClock;
    credentials: SalesforceCredentials;
    accessTtlMs: number;
    orgId: string;
    userId: string;
  }) {
    this.#clock = clock;
    this.#credentials = credentials;
    this.#accessTtlMs = accessTtlMs;
    this.#orgId = orgId;
    this.#userId = userId;
  }

  issueRefreshToken(): string {
    const token = `5Aep861${randomBytes(42).toString('base64url')}`;
    this.#refresh.add(token);
    return token;
  }

  issueAuthorizationCode(redirectUri: string): string {
    const code = `aPrx${randomBytes(30).toString('base64url')}`;
    this.#codes.set(code, redirectUri);
    return code;
  }

  /** Mints an access token directly, for tests that start with a live session. */
  issueAccessToken(refreshToken?: string): string {
    const token = `${this.#orgId.slice(0, 15)}!AQ4AQ${randomBytes(64).toString('base64url')}`;
    this.#access.set(token, { expiresAt: this.#clock.now() + this.#accessTtlMs, refreshToken });
    this.stats.issued++;
    return token;
  }

  isValid(token: string | undefined): boolean {
    if (!token) return false;
    const entry = this.#access.get(token);
    return !!entry && entry.expiresAt > this.#clock.now();
  }

  expireAccessTokens(): void {
    for (const entry of this.#access.values()) entry.expiresAt = 0;
  }

  /** Revoking a refresh token also ends the sessions it produced, as Salesforce does. */
  revoke(token: string): boolean {
    if (this.#access.delete(token)) return true;
    if (!this.#refresh.delete(token)) return false;
    for (const [access, entry] of this.#access) if (entry.refreshToken === token) this.#access.delete(access);
    return true;
  }

  grant(params: URLSearchParams, instanceUrl: string): Record<string, string> {
    try {
      return this.#grant(params, instanceUrl);
    } catch (error) {
      this.stats.rejected++;
      throw error;
    }
  }

  #grant(params: URLSearchParams, instanceUrl: string): Record<string, string> {
    const grantType = params.get('grant_type');
    const needsSecret = grantType !== 'authorization_code' || params.has('client_secret');
    this.#checkClient(params, needsSecret);
    switch (grantType) {
      case 'refresh_token': {
        const refreshToken = params.get('refresh_token') ?? '';
        if (!this.#refresh.has(refreshToken)) throw oauthError(400, 'invalid_grant', 'expired access/refresh token');
        this.stats.refreshes++;
        return this.#response(instanceUrl, this.issueAccessToken(refreshToken));
      }
      case 'password': {
        const { username, password } = this.#credentials;
        if (params.get('username') !== username || params.get('password') !== password) {
          throw oauthError(400, 'invalid_grant', 'authentication failure');
        }
        return this.#response(instanceUrl, this.issueAccessToken());
      }
      case 'client_credentials':
        return this.#response(instanceUrl, this.issueAccessToken());
      case 'authorization_code': {
        const code = params.get('code') ?? '';
        const redirect = this.#codes.get(code);
        if (redirect === undefined) throw oauthError(400, 'invalid_grant', 'invalid authorization code');
        if (params.get('redirect_uri') !== redirect) throw oauthError(400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
        this.#codes.delete(code);
        const refreshToken = this.issueRefreshToken();
        return { ...this.#response(instanceUrl, this.issueAccessToken(refreshToken)), refresh_token: refreshToken };
      }
      default:
        throw oauthError(400, 'unsupported_grant_type', 'grant type not supported');
    }
  }

  #checkClient(params: URLSearchParams, needsSecret: boolean): void {
    if (params.get('client_id') !== this.#credentials.clientId) {
      throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
    }
    // Connected apps require the secret on refresh unless an admin turned that off.
    if (needsSecret && params.get('client_secret') !== this.#credentials.clientSecret) {
      throw oauthError(400, 'invalid_client', 'invalid client credentials');
    }
  }

  #response(instanceUrl: string, accessToken: string): Record<string, string> {
    const id = `${instanceUrl}/id/${this.#orgId}/${this.#userId}`;
    const issuedAt = String(this.#clock.now());
    const signature = createHmac('sha256', this.#credentials.clientSecret).update(id + issuedAt).digest('base64');
    return {
      access_token: accessToken,
      signature,
      scope: 'api refresh_token',
      instance_url: instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
  }
}
