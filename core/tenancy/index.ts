export { ROLES, type Role } from './roles.ts';
export { apiKeysCollection, tenantsCollection, type ApiKeyDoc, type TenantDoc } from './collections.ts';
export { authenticateApiKey, issueApiKey, listApiKeys, revokeApiKey, viewApiKey, type ApiKeyView, type AuthResult } from './api-keys.ts';
export { createAuthCache, type AuthCache } from './auth-cache.ts';
export type { AuthChange, AuthChangeChannel } from './auth-changes.ts';
export { createTenant, getTenant, viewTenant, type CreateTenantResult, type TenantView } from './tenants.ts';
