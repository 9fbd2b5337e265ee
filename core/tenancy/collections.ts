import type { BaseDoc, CollectionDef } from '../store/index.ts';
import type { Role } from './roles.ts';

export interface TenantDoc extends BaseDoc {
  slug: string;
  name: string;
  timeZone: string;
  status: 'active' | 'suspended';
  /** Supplier details used on invoices; set through PATCH /v1/tenant. */
  supplier?: { legalName?: string; gstin?: string; stateCode?: string; address?: string };
}

export interface ApiKeyDoc extends BaseDoc {
  name: string;
  role: Role;
  /** SHA-256 of the secret part; the secret itself is shown once and never stored. */
  secretHash: string;
  /** The first characters of the token, to recognise a key in lists. */
  prefix: string;
  createdBy?: string;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

export const tenantsCollection: CollectionDef<TenantDoc> = {
  name: 'tenants',
  scope: 'platform',
  indexes: [{ fields: { slug: 1 }, unique: true }],
};

export const apiKeysCollection: CollectionDef<ApiKeyDoc> = {
  name: 'api_keys',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1 } }],
};
