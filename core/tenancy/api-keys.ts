import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newId, type Store } from '../store/index.ts';
import { apiKeysCollection, tenantsCollection, type ApiKeyDoc, type TenantDoc } from './collections.ts';
import type { Role } from './roles.ts';

const TOKEN_RE = /^mhk_(tn_[0-9a-z]{26})\.(key_[0-9a-z]{26})\.([A-Za-z0-9_-]{43})$/;

const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** A key as listed: never its secret or hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: Date;
  lastUsedAt?: Date | undefined;
  revokedAt?: Date | undefined;
}

export const viewApiKey = (k: ApiKeyDoc): ApiKeyView => ({
  id: k._id,
  name: k.name,
  role: k.role,
  prefix: k.prefix,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
});

/**
 * Creates a key and returns its token once. The token names its tenant and key so that lookup
 * stays inside the tenant's scope; only the random secret authenticates.
 */
export async function issueApiKey(
  store: Store,
  tenantId: string,
  input: { name: string; role: Role; createdBy?: string },
): Promise<{ key: ApiKeyView; token: string }> {
  const id = newId('key');
  const secret = randomBytes(32).toString('base64url');
  const token = `mhk_${tenantId}.${id}.${secret}`;
  const doc = await store
    .forTenant(tenantId)
    .collection(apiKeysCollection)
    .insert({
      _id: id,
      name: input.name,
      role: input.role,
      secretHash: hashSecret(secret),
      prefix: token.slice(0, 12),
      ...(input.createdBy ? { createdBy: input.createdBy } : {}),
    });
  return { key: viewApiKey(doc), token };
}

export type AuthResult =
  | { ok: true; tenant: TenantDoc; key: ApiKeyDoc }
  | { ok: false; error: 'malformed' | 'unknown' | 'revoked' | 'tenant_suspended' };

/** Resolves a bearer token to its tenant and key, comparing secrets in constant time. */
export async function authenticateApiKey(store: Store, token: string): Promise<AuthResult> {
  const m = TOKEN_RE.exec(token);
  if (!m) return { ok: false, error: 'malformed' };
  const [, tenantId, keyId, secret] = m as unknown as [string, string, string, string];
  const key = await store.forTenant(tenantId).collection(apiKeysCollection).findById(keyId);
  const expected = Buffer.from(key?.secretHash ?? '0'.repeat(64), 'hex');
  const match = timingSafeEqual(expected, Buffer.from(hashSecret(secret), 'hex'));
  if (!key || !match) return { ok: false, error: 'unknown' };
  if (key.revokedAt) return { ok: false, error: 'revoked' };
  const tenant = await store.platform(tenantsCollection).findById(tenantId);
  if (!tenant) return { ok: false, error: 'unknown' };
  if (tenant.status !== 'active') return { ok: false, error: 'tenant_suspended' };
  return { ok: true, tenant, key };
}

export async function listApiKeys(store: Store, tenantId: string): Promise<ApiKeyView[]> {
  const keys = await store.forTenant(tenantId).collection(apiKeysCollection).find({}, { sort: { _id: 1 } });
  return keys.map(viewApiKey);
}

/** Revokes a key; false when the tenant has no such key. Revoking twice is harmless. */
export async function revokeApiKey(store: Store, tenantId: string, keyId: string, at: Date = new Date()): Promise<boolean> {
  const col = store.forTenant(tenantId).collection(apiKeysCollection);
  const key = await col.findById(keyId);
  if (!key) return false;
  if (!key.revokedAt) await col.updateOne({ _id: keyId }, { $set: { revokedAt: at } });
  return true;
}
