import type { ApiError } from './api-error.ts';

/** The RFC 9457 body for an ApiError. */
export function problemBody(err: ApiError, requestId: string, instance?: string): Record<string, unknown> {
  return {
    type: `https://milestone-hub.dev/problems/${err.code.replace(/_/g, '-')}`,
    title: err.title,
    status: err.status,
    code: err.code,
    detail: err.message,
    requestId,
    ...(instance ? { instance } : {}),
    ...(err.errors ? { errors: err.errors } : {}),
    ...(err.extra ?? {}),
  };
}
