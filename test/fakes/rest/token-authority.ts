import { randomBytes } from 'node:crypto';

/** An OAuth2 client the token endpoint accepts. */
export interface FakeClient {
  clientId: string;
  clientSecret: string;
}

/** Issues client-credentials access tokens and decides whether one is still good. */
export class TokenAuthority {
  private readonly tokens = new Map<string, number>();
  issued = 0;

  constructor(
    private readonly clients: readonly FakeClient[],
    private readonly ttlSeconds: number,
    private readonly now: () => Date,
  ) {}

  clientMatches(clientId: string, clientSecret: string): boolean {
    return this.clients.some((c) => c.clientId === clientId && c.clientSecret === clientSecret);
  }

  issue(): { access_token: string; token_type: string; expires_in: number } {
    const token = `fat_${randomBytes(18).toString('base64url')}`;
    this.tokens.set(token, this.now().getTime() + this.ttlSeconds * 1000);
    this.issued += 1;
    return { access_token: token, token_type: 'Bearer', expires_in: this.ttlSeconds };
  }

  isValid(token: string): boolean {
    const until = this.tokens.get(token);
    return until !== undefined && until > this.now().getTime();
  }

  /** Every token issued so far stops working, as after a key rotation at the provider. */
  expireAll(): void {
    this.tokens.clear();
  }
}
