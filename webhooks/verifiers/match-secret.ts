import { bytesEqual } from './bytes-equal.ts';
import type { WebhookSecret } from './types.ts';

export type SecretMatch =
  | { ok: true; secretIndex: number }
  | { ok: false; reason: 'bad_signature' | 'no_active_secret' };

/** Whether a secret may still verify at `now`; an unreadable expiry counts as expired. */
export function isActiveSecret(secret: WebhookSecret, now: Date): boolean {
  if (secret.notAfter === undefined) return true;
  const notAfter = secret.notAfter.getTime();
  return !Number.isNaN(notAfter) && notAfter >= now.getTime();
}

/**
 * Tries every active secret against every provided signature, so a secret can be rotated
 * without downtime and a sender may attach several signatures.
 * `expectedFor` lists the signatures a secret would produce (several where the signed URL is
 * ambiguous); an empty list means the secret is unusable, e.g. it does not decode.
 */
export function matchSecret(
  secrets: readonly WebhookSecret[],
  now: Date,
  provided: readonly Uint8Array[],
  expectedFor: (secret: string) => readonly Uint8Array[],
): SecretMatch {
  let active = 0;
  for (const [index, secret] of secrets.entries()) {
    if (!isActiveSecret(secret, now)) continue;
    active += 1;
    for (const expected of expectedFor(secret.value)) {
      for (const signature of provided) {
        if (bytesEqual(expected, signature)) return { ok: true, secretIndex: index };
      }
    }
  }
  return { ok: false, reason: active === 0 ? 'no_active_secret' : 'bad_signature' };
}
