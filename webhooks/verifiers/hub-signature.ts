import { decodeHex } from './decode.ts';
import { hmac } from './digest.ts';
import { matchSecret, type SecretMatch } from './match-secret.ts';
import { readHeader } from './read-header.ts';
import type { VerifyInput } from './types.ts';

const sha256Bytes = 32;

export type HubSignatureResult = SecretMatch | { ok: false; reason: 'missing_signature' | 'malformed_signature' };

/**
 * Checks a `<prefix><hex HMAC-SHA256 of the raw body>` header, the WebSub shape that GitHub,
 * Jira and Meta share. The prefix is matched case-insensitively; the digest is compared as bytes.
 */
export function verifyHubSignature(input: VerifyInput, headerName: string, prefix: string): HubSignatureResult {
  const header = readHeader(input.headers, headerName)?.trim();
  if (!header) return { ok: false, reason: 'missing_signature' };
  if (header.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) {
    return { ok: false, reason: 'malformed_signature' };
  }
  const signature = decodeHex(header.slice(prefix.length));
  if (signature === undefined || signature.byteLength !== sha256Bytes) return { ok: false, reason: 'malformed_signature' };
  return matchSecret(input.secrets, input.now, [signature], (secret) => [hmac('sha256', secret, input.rawBody)]);
}
