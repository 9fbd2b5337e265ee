import { z } from 'zod';
import { sha256 } from './digest.ts';
import { isActiveSecret, matchSecret } from './match-secret.ts';
import { readOptions } from './read-options.ts';
import type { Verifier, VerifyResult } from './types.ts';

/**
 * Query parameters a token may travel in. A closed list, so every one of them is also dropped
 * from stored URLs whatever a connection configures.
 */
export const urlTokenParams = ['token', 'key', 'secret', 'auth', 'access_token', 'hub_token'] as const;

/** A token shorter than this is too easy to guess to be the only credential of a request. */
export const urlTokenMinLength = 16;

const optionsSchema = z.strictObject({
  /** The query parameter that carries the token. @default 'token' */
  tokenParam: z.enum(urlTokenParams).default('token'),
});

/**
 * For senders that cannot sign (MSG91 delivery reports): the callback URL carries a shared secret,
 * `…/v1/hooks/<id>?token=<secret>`, compared in constant time with every active webhook secret of
 * the connection. Secrets shorter than `urlTokenMinLength` never match. The token is dropped from
 * stored URLs. Nothing in the request names an event, so dedupe falls back to the body digest.
 */
export const urlTokenVerifier: Verifier = {
  scheme: 'url-token',
  optionsSchema,
  signatureHeaders: () => [],
  secretQueryParams: urlTokenParams,
  minSecretLength: urlTokenMinLength,

  verify(input): VerifyResult {
    const options = readOptions(optionsSchema, input);
    if (options === undefined) return { ok: false, reason: 'misconfigured' };
    if (!URL.canParse(input.url)) return { ok: false, reason: 'bad_request' };
    const tokens = new URL(input.url).searchParams.getAll(options.tokenParam).filter((t) => t !== '');
    if (tokens.length === 0) return { ok: false, reason: 'missing_signature' };
    // One guess per request: several values would let a caller try many tokens at once.
    if (tokens.length > 1) return { ok: false, reason: 'malformed_signature' };

    const active = input.secrets.filter((s) => isActiveSecret(s, input.now));
    if (active.length === 0) return { ok: false, reason: 'no_active_secret' };
    if (active.every((s) => s.value.length < urlTokenMinLength)) return { ok: false, reason: 'misconfigured' };

    // Digests keep the comparison constant-time whatever the lengths.
    const match = matchSecret(input.secrets, input.now, [sha256(tokens[0]!)], (secret) =>
      secret.length < urlTokenMinLength ? [] : [sha256(secret)],
    );
    if (!match.ok) return match;
    return { ok: true, secretIndex: match.secretIndex };
  },

  eventId: () => undefined,
};
