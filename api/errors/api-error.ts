/** The closed set of error codes the API answers with; each has one status and title. */
export const API_ERRORS = {
  invalid_json: { status: 400, title: 'Request body is not valid JSON' },
  validation_failed: { status: 400, title: 'Request failed validation' },
  invalid_cursor: { status: 400, title: 'Cursor is not valid' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed for this key' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  version_conflict: { status: 409, title: 'Resource was changed by someone else' },
  transition_refused: { status: 409, title: 'Transition refused' },
  payload_too_large: { status: 413, title: 'Request body too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  unprocessable: { status: 422, title: 'Request cannot be processed' },
  precondition_required: { status: 428, title: 'Precondition required' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** One field-level problem, as listed in a 400 or 422. */
export interface FieldError {
  path: string;
  message: string;
  code?: string;
}

/**
 * The one error type handlers throw. `onError` turns it into RFC 9457 problem+json with the
 * stable `code` and the request id.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    readonly code: ApiErrorCode,
    options: {
      detail?: string;
      errors?: FieldError[];
      headers?: Record<string, string>;
      extra?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(options.detail ?? API_ERRORS[code].title, { cause: options.cause });
    this.status = API_ERRORS[code].status;
    this.title = API_ERRORS[code].title;
    this.errors = options.errors;
    this.headers = options.headers;
    this.extra = options.extra;
  }
}
