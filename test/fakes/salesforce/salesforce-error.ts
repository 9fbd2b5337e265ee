/**
 * The one error a Salesforce route throws. REST API errors are an array of
 * `{ message, errorCode, fields? }`; OAuth endpoints answer `{ error, error_description }`, so a
 * route may pass its own body.
 */
export class SalesforceError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    errorCode: string,
    message: string,
    { fields, body, headers = {} }: { fields?: string[]; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'SalesforceError';
    this.status = status;
    this.errorCode = errorCode;
    this.body = body ?? [fields ? { message, errorCode, fields } : { message, errorCode }];
    this.headers = headers;
  }
}

export function invalidSession(): SalesforceError {
  return new SalesforceError(401, 'INVALID_SESSION_ID', 'Session expired or invalid', {
    headers: { 'WWW-Authenticate': 'Token' },
  });
}

export function notFound(): SalesforceError {
  return new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

export function entityIsDeleted(): SalesforceError {
  return new SalesforceError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
}

export function oauthError(status: number, error: string, description: string): SalesforceError {
  return new SalesforceError(status, error, description, { body: { error, error_description: description } });
}

/** The body Salesforce sends for a given status when a test injects a failure without its own body. */
export function defaultFailureBody(status: number): unknown {
  if (status === 401) return [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
  if (status === 403 || status === 429) {
    return [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }];
  }
  if (status === 503) return [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }];
  if (status >= 500) {
    return [
      {
        message: 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
        errorCode: 'UNKNOWN_EXCEPTION',
      },
    ];
  }
  return [{ message: 'Bad request', errorCode: 'INVALID_INPUT' }];
}
