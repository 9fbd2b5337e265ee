import { createHash, createHmac } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256';

/** HMAC over the concatenation of `parts`, fed in order so a raw body is never copied or re-encoded. */
export function hmac(algorithm: HmacAlgorithm, key: string | Uint8Array, ...parts: ReadonlyArray<string | Uint8Array>): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** SHA-256 of the given bytes (strings are hashed as UTF-8). */
export function sha256(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}
