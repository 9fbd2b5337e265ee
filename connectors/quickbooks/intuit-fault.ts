import {
  AuthExpiredError,
  parseRetryAfter,
  RateLimitedError,
  TransientVendorError,
  UnrecoverableVendorError,
  type VendorError,
} from '../sdk/index.ts';

const BODY_LIMIT = 2000;

/** A refusal from QuickBooks, whichever envelope it came in. */
export interface IntuitFault {
  /** The HTTP status; 200 for a Fault inside a successful answer. */
  status: number;
  retryAfter: string | undefined;
  /** Intuit's error code: `3200`, `5010`, `6240`, ...; the OAuth error for token answers. */
  code: string | undefined;
  /** `ValidationFault`, `SystemFault`, `AUTHENTICATION`, ... */
  type: string | undefined;
  message: string;
  /** The answer, as text, for dead-letter views. */
  body: string;
}

const record = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/**
 * Reads what node-quickbooks hands a callback on failure: axios's error with `response` for a
 * non-2xx answer, or the body itself when a 200 carried a `Fault`. Data-service faults use
 * `Fault.Error[]`; Intuit's gateway (401, 403, 429) uses a lower-case `fault.error[]`. Undefined
 * for anything else (no answer at all).
 */
export function intuitFaultOf(err: unknown): IntuitFault | undefined {
  const asRecord = record(err);
  if (asRecord === undefined) return undefined;
  const response = record(asRecord.response);
  let status: number;
  let data: unknown;
  let retryAfter: string | undefined;
  if (response !== undefined && typeof response.status === 'number') {
    status = response.status;
    data = response.data;
    const headers = record(response.headers);
    retryAfter = text(headers?.['retry-after']);
  } else if (record(asRecord.Fault) !== undefined) {
    status = 200;
    data = err;
  } else {
    return undefined;
  }
  const body = record(data);
  const fault = record(body?.Fault) ?? record(body?.fault);
  const errors = fault?.Error ?? fault?.error;
  const first = record(Array.isArray(errors) ? errors[0] : undefined);
  const code = text(first?.code) ?? text(body?.error);
  const message = [text(first?.Message) ?? text(first?.message), text(first?.Detail) ?? text(first?.detail)].filter((s) => s !== undefined && s !== '').join(': ');
  const raw = typeof data === 'string' ? data : (JSON.stringify(data) ?? '');
  return {
    status,
    retryAfter,
    code,
    type: text(fault?.type),
    message: message === '' ? (text(body?.error) ?? '') : message,
    body: raw.length > BODY_LIMIT ? `${raw.slice(0, BODY_LIMIT)}…` : raw,
  };
}

/** True for Intuit's answer to an expired or revoked access token. */
export function isAuthenticationFault(fault: IntuitFault): boolean {
  return fault.status === 401 || fault.code === '3200';
}

/**
 * The named error for a QuickBooks refusal: 429 and ThrottleExceeded (3001) → RateLimitedError;
 * 401 and 3200 → AuthExpiredError; 5xx and SystemFault → TransientVendorError; validation faults
 * (2xxx, 6xxx), a stale SyncToken (5010) met outside an update, 403/3100 (the app may not use
 * this company) and the rest → UnrecoverableVendorError carrying the answer.
 */
export function intuitError(fault: IntuitFault, { now, what }: { now: Date; what: string }): VendorError {
  const retryAfterMs = parseRetryAfter(fault.retryAfter, now);
  const said = `${fault.code === undefined ? '' : ` ${fault.code}`}${fault.message === '' ? '' : `: ${fault.message.slice(0, 300)}`}`;
  if (fault.status === 429 || fault.code === '3001') {
    return new RateLimitedError(retryAfterMs, { status: 429, message: `${what}: QuickBooks throttled the company's requests (${fault.status}${said})` });
  }
  if (isAuthenticationFault(fault)) return new AuthExpiredError(`${what}: QuickBooks rejected the access token (${fault.status}${fault.code === undefined ? '' : ` ${fault.code}`})`, { status: 401 });
  if (fault.status >= 500 || fault.status === 408 || fault.status === 425 || fault.type === 'SystemFault') {
    return new TransientVendorError(`${what}: QuickBooks answered ${fault.status}${said}`, { status: fault.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  return new UnrecoverableVendorError(fault.status === 200 ? 400 : fault.status, fault.body, { message: `${what}: QuickBooks refused the request (${fault.status}${said})` });
}

/** Intuit's error code of a refusal raised by this connector, when it carried one. */
export function intuitErrorCode(err: unknown): string | undefined {
  if (!(err instanceof UnrecoverableVendorError)) return undefined;
  try {
    const body = record(JSON.parse(err.body));
    const fault = record(body?.Fault) ?? record(body?.fault);
    const errors = fault?.Error ?? fault?.error;
    return text(record(Array.isArray(errors) ? errors[0] : undefined)?.code);
  } catch {
    return undefined;
  }
}
