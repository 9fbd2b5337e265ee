import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors/index.ts';

const JSON_TYPES = ['application/json', 'application/merge-patch+json'];

/**
 * Refuses request bodies over `maxBytes` (413, counted while reading) and bodies of a media
 * type the route does not take (415).
 * @default accept ['application/json']
 */
export function guardBody({
  maxBytes,
  accept = (_path: string) => JSON_TYPES,
}: {
  maxBytes: number;
  accept?: (path: string) => string[];
}): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError('payload_too_large', { detail: `The body is larger than ${maxBytes} bytes` });
    },
  });
  return async function guardBodyMiddleware(c, next) {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'DELETE' || method === 'OPTIONS') return next();
    const length = c.req.header('Content-Length');
    const hasBody = length !== undefined ? length !== '0' : c.req.raw.body !== null;
    if (hasBody) {
      const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
      const allowed = accept(c.req.path);
      if (!allowed.includes(type)) {
        throw new ApiError('unsupported_media_type', { detail: `Send the body as ${allowed.join(' or ')}`, headers: { Accept: allowed.join(', ') } });
      }
    }
    return limit(c, next);
  };
}
