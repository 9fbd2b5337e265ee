import { AuthExpiredError, parseRetryAfter, RateLimitedError, TransientVendorError, UnrecoverableVendorError, type VendorError } from '../sdk/index.ts';

const BODY_LIMIT = 2000;

/** What an answer of Jira's carries besides its status. */
export interface JiraAnswer {
  status: number;
  headers: Headers;
  /** The body as received. */
  text: string;
}

/**
 * Jira's error collection (`{ errorMessages: [...], errors: { field: message } }`) as one line,
 * e.g. `summary: You must specify a summary of the issue.`; empty when the body is not one.
 */
export function jiraErrorDetail(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return '';
  }
  if (body === null || typeof body !== 'object') return '';
  const { errorMessages, errors, message } = body as { errorMessages?: unknown; errors?: unknown; message?: unknown };
  const parts: string[] = [];
  if (Array.isArray(errorMessages)) parts.push(...errorMessages.filter((m): m is string => typeof m === 'string' && m !== ''));
  if (errors !== null && typeof errors === 'object' && !Array.isArray(errors)) {
    for (const [field, problem] of Object.entries(errors)) if (typeof problem === 'string') parts.push(`${field}: ${problem}`);
  }
  if (parts.length === 0 && typeof message === 'string') parts.push(message);
  return parts.join('; ').slice(0, 500);
}

/** Milliseconds until `X-RateLimit-Reset` (an ISO instant), when Jira sent one without Retry-After. */
function untilReset(value: string | null, now: Date): number | undefined {
  if (value === null) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now.getTime()), 24 * 60 * 60 * 1000);
}

/**
 * The named error for a failed Jira answer: 429 → RateLimitedError with Retry-After (or the
 * X-RateLimit-Reset instant); 401 → AuthExpiredError; 408, 425 and 5xx → TransientVendorError;
 * any other status (400, 403, 404, 409, ...) → UnrecoverableVendorError carrying Jira's
 * `errorMessages` and `errors` in its message and the body for dead-letter views.
 * @example throw vendorErrorFromJira('POST /rest/api/3/issue', answer, ctx.now())
 */
export function vendorErrorFromJira(what: string, answer: JiraAnswer, now: Date): VendorError {
  const { status, headers, text } = answer;
  const detail = jiraErrorDetail(text);
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now) ?? untilReset(headers.get('x-ratelimit-reset'), now);
  if (status === 429) {
    const reason = headers.get('ratelimit-reason');
    return new RateLimitedError(retryAfterMs, { status, message: `${what}: Jira is rate limiting the connection${reason === null ? '' : ` (${reason})`}` });
  }
  if (status === 401) return new AuthExpiredError(`${what}: Jira rejected the credentials (401)`, { status });
  if (status === 408 || status === 425 || status >= 500) {
    return new TransientVendorError(`${what}: Jira answered ${status}${detail === '' ? '' : `: ${detail}`}`, { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  const body = text.length > BODY_LIMIT ? `${text.slice(0, BODY_LIMIT)}…` : text;
  return new UnrecoverableVendorError(status, body, { message: `${what}: Jira refused the request (${status})${detail === '' ? '' : `: ${detail}`}` });
}
