import type { Vault } from '../vault/index.ts';
import type { ConnectionDoc } from './collections.ts';
import { CREDENTIALS_PURPOSE } from './secret-purposes.ts';

/** Plain credentials, or why the stored ciphertext cannot give them. */
export type CredentialsResult =
  | { ok: true; credentials: Record<string, unknown> }
  | { ok: false; error: 'malformed' | 'unknown_key' | 'tampered' | 'not_json' };

/**
 * Decrypts a connection's credentials (tenant-bound: a ciphertext copied to another tenant's
 * connection fails as `tampered`). A connection without credentials has `{}`.
 */
export function decryptCredentials(vault: Vault, conn: Pick<ConnectionDoc, 'credentials' | 'tenantId'>): CredentialsResult {
  if (conn.credentials === undefined) return { ok: true, credentials: {} };
  const plain = vault.decrypt(conn.credentials, { tenantId: conn.tenantId ?? '', purpose: CREDENTIALS_PURPOSE });
  if (!plain.ok) return plain;
  try {
    const value: unknown = JSON.parse(plain.value);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'not_json' };
    return { ok: true, credentials: value as Record<string, unknown> };
  } catch {
    return { ok: false, error: 'not_json' };
  }
}
