import type { MiddlewareHandler } from 'hono';
import { createAuthCache, type AuthCache, type Role } from '../../core/tenancy/index.ts';
import type { AppEnv, Services } from '../app-env.ts';
import { ApiError } from '../errors/index.ts';
import { requestHeader } from './request-context.ts';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

const bearer = (header: string | null): string | null => {
  if (!header) return null;
  const m = BEARER.exec(header);
  return m ? m[1]! : null;
};

// Route definitions build this middleware once for every app, so the cache belongs to each app's
// services: the one they bring, or one made on first use over their store.
const defaultCaches = new WeakMap<Services, AuthCache>();
const authCacheOf = (services: Services): AuthCache => {
  if (services.authCache) return services.authCache;
  let cache = defaultCaches.get(services);
  if (!cache) defaultCaches.set(services, (cache = createAuthCache({ store: services.store })));
  return cache;
};

/**
 * Authenticates a tenant API key and, when `roles` are given, requires one of them. Sets `auth`
 * and the tenant-scoped `db` for the handler.
 */
export function requireAuth(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async function requireAuthMiddleware(c, next) {
    const token = bearer(requestHeader(c, 'authorization'));
    if (!token) throw new ApiError('unauthorized', { detail: 'Send an API key as Authorization: Bearer <key>', headers: { 'WWW-Authenticate': 'Bearer' } });
    const services = c.get('services');
    const result = await authCacheOf(services).authenticate(token);
    if (!result.ok) {
      const detail = result.error === 'revoked' ? 'This API key was revoked' : result.error === 'tenant_suspended' ? 'This tenant is suspended' : 'The API key is not valid';
      throw new ApiError('unauthorized', { detail, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
    }
    if (roles.length > 0 && !roles.includes(result.key.role)) {
      throw new ApiError('forbidden', { detail: `This needs one of the roles: ${roles.join(', ')}; the key has ${result.key.role}` });
    }
    c.set('auth', { tenant: result.tenant, key: result.key, role: result.key.role });
    c.set('db', services.store.forTenant(result.tenant._id));
    await next();
  };
}
