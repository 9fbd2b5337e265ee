import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors/index.ts';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Requires the platform token (HUB_ADMIN_TOKEN), compared in constant time. */
export function requireAdminToken(): MiddlewareHandler<AppEnv> {
  return async function requireAdminTokenMiddleware(c, next) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '');
    if (!m) throw new ApiError('unauthorized', { detail: 'Send the platform token as Authorization: Bearer <HUB_ADMIN_TOKEN>', headers: { 'WWW-Authenticate': 'Bearer' } });
    // Hashing first gives equal-length inputs, so the comparison leaks nothing about length.
    if (!timingSafeEqual(digest(m[1]!), digest(c.get('services').config.adminToken))) {
      throw new ApiError('forbidden', { detail: 'Only the platform token may do this' });
    }
    await next();
  };
}
