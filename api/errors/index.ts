export { API_ERRORS, ApiError, type ApiErrorCode, type FieldError } from './api-error.ts';
export { problemBody } from './problem-body.ts';
export { definitionProblem } from './definition-problem.ts';
