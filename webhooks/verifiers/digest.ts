import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256';

/** HMAC over the concatenation of `parts`, fed in order so a raw body is never copied or re-encoded. */
export function hmac(algorithm: HmacAlgorithm, key: string | Uint8Array | KeyObject, ...parts: ReadonlyArray<string | Uint8Array>): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** SHA-256 of the given bytes (strings are hashed as UTF-8). */
export function sha256(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/**
 * Caches the HMAC key objects of secrets by the secret's text: importing the key once spares a
 * key import on every request signed with it. `derive` turns the text into key bytes (undefined
 * when it cannot); at most `limit` secrets are held, the oldest dropped first.
 */
export function hmacKeyCache(derive: (secret: string) => Uint8Array | undefined, limit = 1_000): (secret: string) => KeyObject | Uint8Array | undefined {
  const keys = new Map<string, KeyObject | Uint8Array | null>();
  return (secret) => {
    let key = keys.get(secret);
    if (key === undefined) {
      const bytes = derive(secret);
      // An empty key is a valid HMAC key but not a valid key object.
      key = bytes === undefined ? null : bytes.byteLength > 0 ? createSecretKey(bytes) : bytes;
      if (keys.size >= limit) keys.delete(keys.keys().next().value!);
      keys.set(secret, key);
    }
    return key ?? undefined;
  };
}
