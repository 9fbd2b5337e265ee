import type { DomainError, DomainResult } from '../../core/domain/index.ts';
import { ApiError } from '../errors/index.ts';

/**
 * The ApiError for a domain failure: 404 `not_found`, 422 `unprocessable` listing every field,
 * 409 `conflict` / `version_conflict` / `transition_refused` (or 422 for a refusal the request
 * itself causes), 403 `forbidden`. Refusals carry their code as `reason`. `at` prefixes field
 * paths with where the input came from, as request validation errors are reported.
 */
export function domainProblem(error: DomainError, options: { at?: 'body' | 'query' | null } = {}): ApiError {
  const { at = 'body' } = options;
  const place = (path: string) => (at === null || path.startsWith('query.') || path.startsWith('rows.') ? path : `${at}.${path}`);
  switch (error.code) {
    case 'not_found':
      return new ApiError('not_found', { detail: error.message });
    case 'forbidden':
      return new ApiError('forbidden', { detail: error.message });
    case 'conflict':
      return new ApiError('conflict', { detail: error.message, ...(error.details ? { extra: error.details } : {}) });
    case 'version_conflict':
      return new ApiError('version_conflict', { detail: error.message, extra: { currentVersion: error.currentVersion } });
    case 'invalid':
      return new ApiError('unprocessable', {
        detail: error.message,
        errors: error.issues.map((i) => ({ path: place(i.path), message: i.message, ...(i.code ? { code: i.code } : {}) })),
        ...(error.details ? { extra: error.details } : {}),
      });
    case 'refused':
      return new ApiError(error.status === 409 ? 'transition_refused' : 'unprocessable', {
        detail: error.message,
        ...(error.status === 422 ? { errors: [{ path: place('to'), message: error.message, code: error.reason }] } : {}),
        extra: { reason: error.reason, ...(error.details ?? {}) },
      });
  }
}

/** The value of a successful result; throws the failure's ApiError otherwise. */
export function unwrap<T>(result: DomainResult<T>, options: { at?: 'body' | 'query' | null } = {}): T {
  if (!result.ok) throw domainProblem(result.error, options);
  return result.value;
}
