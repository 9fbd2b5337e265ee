/**
 * The one error a QuickBooks route throws. Data-service errors use Intuit's
 * `{ Fault: { Error: [{ Message, Detail, code, element }], type }, time }`; errors raised by
 * Intuit's gateway before the request reaches the company (authentication, authorisation,
 * throttling) come back in the lower-case `{ fault: { error: [...] } }` envelope instead.
 */
export class QuickBooksError extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, { body, headers = {} }: { body?: unknown; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'QuickBooksError';
    this.status = status;
    this.code = code;
    this.body = body;
    this.headers = headers;
  }
}

export type FaultType = 'ValidationFault' | 'SystemFault' | 'AuthenticationFault' | 'AuthorizationFault' | 'ServiceFault';

/** A data-service fault; `time` is filled in when the response is written. */
export function fault(
  status: number,
  { message, detail, code, element = '', type = 'ValidationFault' }: { message: string; detail: string; code: string; element?: string; type?: FaultType },
): QuickBooksError {
  return new QuickBooksError(status, code, detail, {
    body: { Fault: { Error: [{ Message: message, Detail: detail, code, element }], type } },
  });
}

export function gatewayFault(status: number, { name, code, detail, type }: { name: string; code: string; detail: string | null; type: string }): QuickBooksError {
  return new QuickBooksError(status, code, `${name}: ${detail ?? ''}`, {
    body: {
      warnings: null,
      intuitObject: null,
      fault: {
        error: [{ message: `message=${name}; errorCode=00${code}; statusCode=${status}`, detail, code, element: null }],
        type,
      },
      report: null,
      queryResponse: null,
      batchItemResponse: [],
      attachableResponse: [],
      syncErrorResponse: null,
      requestId: null,
      time: Date.now(),
      status: null,
      cdcresponse: [],
    },
  });
}

export function authenticationFailed(detail: string): QuickBooksError {
  return gatewayFault(401, { name: 'AuthenticationFailed', code: '3200', detail, type: 'AUTHENTICATION' });
}

export function authorizationFailed(): QuickBooksError {
  return gatewayFault(403, { name: 'AuthorizationFailed', code: '3100', detail: null, type: 'SERVICE' });
}

export function throttled(): QuickBooksError {
  return gatewayFault(429, { name: 'ThrottleExceeded', code: '3001', detail: 'The request limit was reached.', type: 'SERVICE' });
}

export function objectNotFound(type: string, id: string): QuickBooksError {
  return fault(400, {
    message: 'Object Not Found',
    detail: `Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees. (${type} Id=${id})`,
    code: '610',
  });
}

export function requiredMissing(property: string): QuickBooksError {
  return fault(400, {
    message: 'Required param missing, need to supply the required value for the API',
    detail: `Required parameter ${property} is missing in the request`,
    code: '2020',
    element: property,
  });
}

export function invalidReference(entity: string, id: string): QuickBooksError {
  return fault(400, {
    message: 'Invalid Reference Id',
    detail: `Invalid Reference Id : ${entity} element id ${id} not found`,
    code: '2500',
  });
}

export function businessValidation(detail: string): QuickBooksError {
  return fault(400, {
    message: 'A business validation error has occurred while processing your request',
    detail: `Business Validation Error: ${detail}`,
    code: '6000',
  });
}

export function staleObject(): QuickBooksError {
  return fault(400, {
    message: 'Stale Object Error',
    detail:
      'Stale Object Error : You and Asha Rao were working on this at the same time. Asha Rao finished before you did, so your work was not saved.',
    code: '5010',
  });
}

export function unsupportedOperation(path: string): QuickBooksError {
  return fault(400, {
    message: 'Unsupported Operation',
    detail: `Operation Could not find resource for relative : ${path} is not supported.`,
    code: '500',
  });
}

export function oauthError(status: number, error: string): QuickBooksError {
  return new QuickBooksError(status, error, error, { body: { error } });
}

/** Intuit's body for a status when a test injects a failure without its own body. */
export function defaultFailure(status: number, path: string): QuickBooksError {
  if (path.includes('/oauth2/')) {
    return oauthError(status, status === 401 ? 'invalid_client' : status >= 500 ? 'server_error' : 'invalid_grant');
  }
  if (status === 401) return authenticationFailed('Token expired');
  if (status === 403) return authorizationFailed();
  if (status === 429) return throttled();
  if (status >= 500) {
    return fault(status, {
      message: 'An application error has occurred while processing your request',
      detail:
        'System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again. If the problem persists, contact customer support.',
      code: '10000',
      type: 'SystemFault',
    });
  }
  return fault(status, { message: 'Request has invalid or unsupported property', detail: 'Injected failure', code: '2010' });
}
