import {
  AuthExpiredError,
  parseRetryAfter,
  RateLimitedError,
  TransientVendorError,
  UnrecoverableVendorError,
  type VendorError,
} from '../sdk/index.ts';

const BODY_LIMIT = 2000;

/** Salesforce's error body: `[{ message, errorCode, fields? }]`. */
export interface SalesforceFault {
  errorCode: string;
  message: string;
}

/** The first `{ errorCode, message }` of a Salesforce REST error body, when it has one. */
export function salesforceFaultOf(body: string): SalesforceFault | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (first === null || typeof first !== 'object') return undefined;
  const { errorCode, message } = first as { errorCode?: unknown; message?: unknown };
  return typeof errorCode === 'string' ? { errorCode, message: typeof message === 'string' ? message : '' } : undefined;
}

/** The Salesforce error code a refusal carried (`NOT_FOUND`, `INVALID_FIELD`), when it did. */
export function salesforceErrorCode(err: unknown): string | undefined {
  return err instanceof UnrecoverableVendorError ? salesforceFaultOf(err.body)?.errorCode : undefined;
}

/**
 * The named error for a Salesforce REST answer of 400 or more: 429 and REQUEST_LIMIT_EXCEEDED
 * (the org's daily allowance, a 403) → RateLimitedError; 401 → AuthExpiredError; record-lock
 * contention and 5xx → TransientVendorError; any other refusal (INVALID_FIELD,
 * REQUIRED_FIELD_MISSING, ...) → UnrecoverableVendorError carrying the body.
 */
export function salesforceAnswerError(status: number, headers: Readonly<Record<string, string>>, body: string, { now, what }: { now: Date; what: string }): VendorError {
  const fault = salesforceFaultOf(body);
  const code = fault?.errorCode;
  const retryAfterMs = parseRetryAfter(headers['retry-after'], now);
  const said = fault === undefined ? '' : ` ${code}: ${fault.message.slice(0, 300)}`;
  if (status === 429 || code === 'REQUEST_LIMIT_EXCEEDED') {
    return new RateLimitedError(retryAfterMs, { status, message: `${what}: Salesforce refused the call for its request limits (${status}${said})` });
  }
  if (status === 401) return new AuthExpiredError(`${what}: Salesforce rejected the session (401${code === undefined ? '' : ` ${code}`})`, { status });
  // Another transaction held the row; the same write succeeds once it lets go.
  if (code === 'UNABLE_TO_LOCK_ROW' || status === 408 || status === 425 || status >= 500) {
    return new TransientVendorError(`${what}: Salesforce answered ${status}${said}`, { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  const text = body.length > BODY_LIMIT ? `${body.slice(0, BODY_LIMIT)}…` : body;
  return new UnrecoverableVendorError(status, text, { message: `${what}: Salesforce refused the request (${status}${said})` });
}
