import {
  AuthExpiredError,
  OutboundUrlRefusedError,
  RateLimitedError,
  TransientVendorError,
  UnrecoverableVendorError,
} from '../../connectors/index.ts';
import { ApiError } from '../errors/index.ts';

/**
 * A connector failure met while serving a request (live preview) as the API's answer: the vendor
 * throttling is a 429 with its Retry-After, an unreachable vendor a 503, refused credentials or
 * requests a 422. Anything else is rethrown as the bug it is.
 */
export function vendorProblem(err: unknown): ApiError {
  if (err instanceof RateLimitedError) {
    const seconds = err.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(err.retryAfterMs / 1000));
    return new ApiError('rate_limited', { detail: 'The vendor is rate limiting this connection; try again later', ...(seconds === undefined ? {} : { headers: { 'Retry-After': String(seconds) } }) });
  }
  if (err instanceof TransientVendorError) return new ApiError('service_unavailable', { detail: `The vendor could not be reached: ${err.message}` });
  if (err instanceof AuthExpiredError) return new ApiError('unprocessable', { detail: `The vendor rejected the connection's credentials: ${err.message}` });
  if (err instanceof OutboundUrlRefusedError) return new ApiError('unprocessable', { detail: `The connection's URL is refused: ${err.message}` });
  if (err instanceof UnrecoverableVendorError) return new ApiError('unprocessable', { detail: `The vendor refused the request: ${err.message}` });
  throw err;
}
