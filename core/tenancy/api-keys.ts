import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newId, type Store } from '../store/index.ts';
import { apiKeysCollection, tenantsCollection, type ApiKeyDoc, type TenantDoc } from './collections.ts';
import type { Role } from './roles.ts';

const TOKEN_RE = /^mhk_(tn_[0-9a-z]{26})\.(key_[0-9a-z]{26})\.([A-Za-z0-9_-]{43})$/;

/** SHA-256 of a key's secret part, in hex: what is stored, and what resolved keys are cached under. */
export const hashSecret = (secret: string): string => hash('sha256', secret, 'hex');

/** The parts of a bearer token; null when it is not shaped like one of our keys. */
export interface ParsedApiKey {
  tenantId: string;
  keyId: string;
  secret: string;
}

export function parseApiKey(token: string): ParsedApiKey | null {
  const m = TOKEN_RE.exec(token);
  if (!m) return null;
  return { tenantId: m[1]!, keyId: m[2]!, secret: m[3]! };
}

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
  const parsed = parseApiKey(token);
  if (!parsed) return { ok: false, error: 'malformed' };
  return resolveApiKey(store, parsed, hashSecret(parsed.secret));
}

/** Reads the key and its tenant from the store; `secretHash` is {@link hashSecret} of `parsed.secret`. */
export async function resolveApiKey(store: Store, parsed: ParsedApiKey, secretHash: string): Promise<AuthResult> {
  const { tenantId, keyId } = parsed;
  const key = await store.forTenant(tenantId).collection(apiKeysCollection).findById(keyId);
  const expected = Buffer.from(key?.secretHash ?? '0'.repeat(64), 'hex');
  const match = expected.length === 32 && timingSafeEqual(expected, Buffer.from(secretHash, 'hex'));
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
