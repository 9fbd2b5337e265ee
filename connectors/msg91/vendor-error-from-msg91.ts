import { AuthExpiredError, parseRetryAfter, RateLimitedError, TransientVendorError, UnrecoverableVendorError, type VendorError } from '../sdk/index.ts';

/** MSG91's answer shape: `{ type: 'success', message: <request id> }` or `{ type: 'error', message, code? }`. */
export interface Msg91Answer {
  type?: string;
  message?: string;
  code?: string | number;
}

// MSG91 error codes: 106 missing and 207 invalid auth key; 418 caller IP not whitelisted.
const AUTH_CODES = new Set(['106', '207', '401']);

/**
 * The named error for an MSG91 answer that is not a success, whatever its HTTP status (MSG91 also
 * answers 200 with `type: error`): auth-key codes → AuthExpiredError; 418 (IP not whitelisted) →
 * UnrecoverableVendorError with status 403; 429 → RateLimitedError; 5xx → TransientVendorError;
 * 311 (the same request within 10 s) → UnrecoverableVendorError saying the earlier one was taken;
 * anything else (202 invalid number, 203 sender, 301 balance, bad template) →
 * UnrecoverableVendorError.
 */
export function vendorErrorFromMsg91(res: Response, text: string, answer: Msg91Answer | undefined, what: string, now = new Date()): VendorError | undefined {
  if (res.ok && answer?.type === 'success') return undefined;
  const code = answer?.code === undefined ? undefined : String(answer.code);
  const words = answer?.message ?? (text.trim().slice(0, 200) || `HTTP ${res.status}`);
  const described = `${what}: ${words}${code === undefined ? '' : ` [code ${code}]`}`;
  const body = text.slice(0, 2000);
  if (res.status === 429) return new RateLimitedError(parseRetryAfter(res.headers.get('retry-after'), now), { status: 429, message: described });
  if (res.status === 401 || (code !== undefined && AUTH_CODES.has(code))) return new AuthExpiredError(described, { status: res.status });
  if (res.status === 418 || code === '418') return new UnrecoverableVendorError(403, body, { message: `${described}; whitelist the hub's IP for this auth key in MSG91` });
  if (res.status >= 500 || res.status === 408) return new TransientVendorError(described, { status: res.status });
  if (code === '311') {
    return new UnrecoverableVendorError(res.status, body, { message: `${described}; MSG91 took the identical request moments ago, so this one was not sent again` });
  }
  return new UnrecoverableVendorError(res.status, body, { message: described });
}
