import type { MiddlewareHandler } from 'hono';
import { authenticateApiKey, type Role } from '../../core/tenancy/index.ts';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors/index.ts';

const bearer = (header: string | undefined): string | null => {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
};

/**
 * Authenticates a tenant API key and, when `roles` are given, requires one of them. Sets `auth`
 * and the tenant-scoped `db` for the handler.
 */
export function requireAuth(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async function requireAuthMiddleware(c, next) {
    const token = bearer(c.req.header('Authorization'));
    if (!token) throw new ApiError('unauthorized', { detail: 'Send an API key as Authorization: Bearer <key>', headers: { 'WWW-Authenticate': 'Bearer' } });
    const { store } = c.get('services');
    const result = await authenticateApiKey(store, token);
    if (!result.ok) {
      const detail = result.error === 'revoked' ? 'This API key was revoked' : result.error === 'tenant_suspended' ? 'This tenant is suspended' : 'The API key is not valid';
      throw new ApiError('unauthorized', { detail, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
    }
    if (roles.length > 0 && !roles.includes(result.key.role)) {
      throw new ApiError('forbidden', { detail: `This needs one of the roles: ${roles.join(', ')}; the key has ${result.key.role}` });
    }
    c.set('auth', { tenant: result.tenant, key: result.key, role: result.key.role });
    c.set('db', store.forTenant(result.tenant._id));
    await next();
  };
}
