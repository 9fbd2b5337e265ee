import { AuthExpiredError } from './auth-expired-error.ts';
import { parseRetryAfter } from './parse-retry-after.ts';
import { RateLimitedError } from './rate-limited-error.ts';
import { TransientVendorError } from './transient-vendor-error.ts';
import { UnrecoverableVendorError } from './unrecoverable-vendor-error.ts';
import type { VendorError } from './vendor-error.ts';

const BODY_LIMIT = 2000;

/**
 * The named error for a vendor's non-2xx answer: 429 → RateLimitedError (with Retry-After),
 * 401 → AuthExpiredError, 408/425/5xx → TransientVendorError, any other status →
 * UnrecoverableVendorError. Reads (and truncates) the body. Returns undefined for 2xx and 3xx.
 * @example const err = await vendorErrorFromResponse(res); if (err) throw err;
 */
export async function vendorErrorFromResponse(res: Response, { now = new Date(), what = 'request' }: { now?: Date; what?: string } = {}): Promise<VendorError | undefined> {
  if (res.status < 400) return undefined;
  const body = await readBody(res);
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now);
  if (res.status === 429) return new RateLimitedError(retryAfterMs, { status: 429, message: `${what}: rate limited by the vendor` });
  if (res.status === 401) return new AuthExpiredError(`${what}: the vendor rejected the credentials (401)`, { status: 401 });
  if (res.status === 408 || res.status === 425 || res.status >= 500) {
    return new TransientVendorError(`${what}: vendor answered ${res.status}`, { status: res.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  return new UnrecoverableVendorError(res.status, body, { message: `${what}: vendor refused the request (${res.status})` });
}

async function readBody(res: Response): Promise<string> {
  try {
    const text = await res.text();
    return text.length > BODY_LIMIT ? `${text.slice(0, BODY_LIMIT)}…` : text;
  } catch {
    return '';
  }
}
