import { DuplicateKeyError, newId, type Store } from '../store/index.ts';
import { issueApiKey, type ApiKeyView } from './api-keys.ts';
import { tenantsCollection, type TenantDoc } from './collections.ts';

export interface TenantView {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
  status: TenantDoc['status'];
  supplier?: TenantDoc['supplier'];
  createdAt: Date;
}

export const viewTenant = (t: TenantDoc): TenantView => ({
  id: t._id,
  slug: t.slug,
  name: t.name,
  timeZone: t.timeZone,
  status: t.status,
  ...(t.supplier ? { supplier: t.supplier } : {}),
  createdAt: t.createdAt,
});

export type CreateTenantResult =
  | { ok: true; tenant: TenantView; apiKey: string; key: ApiKeyView }
  | { ok: false; error: 'slug_taken' };

/** Creates a tenant and its first admin key; the key's token is returned only here. */
export async function createTenant(
  store: Store,
  input: { slug: string; name: string; timeZone?: string },
): Promise<CreateTenantResult> {
  let tenant: TenantDoc;
  try {
    tenant = await store.platform(tenantsCollection).insert({
      _id: newId('tn'),
      slug: input.slug,
      name: input.name,
      timeZone: input.timeZone ?? 'Asia/Kolkata',
      status: 'active',
    });
  } catch (err) {
    if (err instanceof DuplicateKeyError) return { ok: false, error: 'slug_taken' };
    throw err;
  }
  const { key, token } = await issueApiKey(store, tenant._id, { name: 'initial admin key', role: 'admin' });
  return { ok: true, tenant: viewTenant(tenant), apiKey: token, key };
}

export async function getTenant(store: Store, tenantId: string): Promise<TenantDoc | null> {
  return store.platform(tenantsCollection).findById(tenantId);
}
