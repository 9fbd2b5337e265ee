import { bytesEqual } from './bytes-equal.ts';
import { sha256 } from './digest.ts';

/** The query of Meta's subscription GET: `hub.mode`, `hub.verify_token`, `hub.challenge`. */
export interface MetaHandshakeQuery {
  mode: string | null | undefined;
  verifyToken: string | null | undefined;
  challenge: string | null | undefined;
}

/** On success, answer 200 with `challenge` as the plain-text body; otherwise answer 403. */
export type MetaHandshakeResult =
  | { ok: true; challenge: string; tokenIndex: number }
  | { ok: false; reason: 'bad_request' | 'bad_signature' };

/**
 * Checks Meta's webhook subscription handshake against every configured verify token.
 * Tokens are compared as SHA-256 digests so neither their content nor their length leaks.
 * @example
 * const q = new URL(url).searchParams;
 * verifyMetaHandshake({ mode: q.get('hub.mode'), verifyToken: q.get('hub.verify_token'), challenge: q.get('hub.challenge') }, tokens);
 */
export function verifyMetaHandshake(query: MetaHandshakeQuery, expectedTokens: readonly string[]): MetaHandshakeResult {
  const { mode, verifyToken, challenge } = query;
  if (mode !== 'subscribe' || !verifyToken || !challenge) return { ok: false, reason: 'bad_request' };
  const provided = sha256(verifyToken);
  for (const [index, token] of expectedTokens.entries()) {
    if (token.length > 0 && bytesEqual(sha256(token), provided)) return { ok: true, challenge, tokenIndex: index };
  }
  return { ok: false, reason: 'bad_signature' };
}
