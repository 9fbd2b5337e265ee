import type { DefinitionError } from '../../core/definitions/index.ts';
import { ApiError } from './api-error.ts';

/**
 * The ApiError for a failed definition operation. `at` prefixes issue paths with where the
 * document came from (`body`, `query`), as request validation errors are reported.
 */
export function definitionProblem(error: DefinitionError, options: { at?: 'body' | 'query' } = {}): ApiError {
  const { at = 'body' } = options;
  switch (error.code) {
    case 'not_found':
      return new ApiError('not_found', { detail: capitalise(error.message) });
    case 'already_exists':
    case 'read_only':
      return new ApiError('conflict', { detail: capitalise(error.message), extra: { reason: error.code } });
    case 'invalid_definition':
    case 'invalid_options':
      return new ApiError(error.code === 'invalid_definition' ? 'unprocessable' : 'validation_failed', {
        detail: capitalise(error.message),
        errors: error.issues.map((issue) => ({
          path: issue.path === '' ? at : `${at}.${issue.path}`,
          message: issue.message,
          ...(issue.code === undefined ? {} : { code: issue.code }),
        })),
      });
  }
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
