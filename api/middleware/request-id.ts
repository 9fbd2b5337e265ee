import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the caller's request id when it is safe to echo, otherwise makes one, and sends it back.
 * @default headerName 'X-Request-Id'
 */
export function requestId({ headerName = 'X-Request-Id', generator = () => randomUUID() } = {}): MiddlewareHandler<AppEnv> {
  return async function requestIdMiddleware(c, next) {
    const incoming = c.req.header(headerName);
    const id = incoming && SAFE_ID.test(incoming) ? incoming : generator();
    c.set('requestId', id);
    // Set before the handler so it is part of the response as built; setting a header on a
    // finished response makes Hono copy the whole response.
    c.header(headerName, id);
    await next();
  };
}
