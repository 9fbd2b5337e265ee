import {
  AuthExpiredError,
  parseRetryAfter,
  RateLimitedError,
  TransientVendorError,
  UnrecoverableVendorError,
  vendorErrorFromResponse,
  type VendorError,
} from '../sdk/index.ts';

/** Twilio's error body. */
export interface TwilioError {
  code: number;
  message: string;
  more_info?: string;
  status?: number;
}

// 20429 Too Many Requests; 30001 queue overflow: both say "slow down", not "this message is wrong".
const RATE_LIMITED = new Set([20429, 30001]);
const TRANSIENT = new Set([20500, 20503]);

function readTwilioError(text: string): TwilioError | undefined {
  try {
    const body = JSON.parse(text) as Partial<TwilioError>;
    if (typeof body.code === 'number' && typeof body.message === 'string') return body as TwilioError;
  } catch {
    // Not JSON: the HTTP status decides.
  }
  return undefined;
}

/**
 * The named error for a failed Twilio answer: 429 or 20429 → RateLimitedError (with
 * Retry-After); 401 / 20003 → AuthExpiredError; 5xx → TransientVendorError; request faults such
 * as 21211 (invalid To), 21610 (recipient opted out) or 21606 (bad From) →
 * UnrecoverableVendorError, whose message names Twilio's code and help page.
 */
export async function vendorErrorFromTwilio(res: Response, what: string, now = new Date()): Promise<VendorError | undefined> {
  if (res.ok) return undefined;
  const text = await res.clone().text().catch(() => '');
  const error = readTwilioError(text);
  if (error === undefined) return vendorErrorFromResponse(res, { now, what });
  const described = `${what}: ${error.message} [code ${error.code}${error.more_info ? `, ${error.more_info}` : ''}]`;
  if (res.status === 429 || RATE_LIMITED.has(error.code)) return new RateLimitedError(parseRetryAfter(res.headers.get('retry-after'), now), { status: res.status, message: described });
  if (res.status === 401 || error.code === 20003) return new AuthExpiredError(described, { status: res.status });
  if (res.status >= 500 || TRANSIENT.has(error.code)) return new TransientVendorError(described, { status: res.status });
  return new UnrecoverableVendorError(res.status, text.slice(0, 2000), { message: described });
}
