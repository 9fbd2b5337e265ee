import { VendorError } from './vendor-error.ts';

/**
 * The vendor refused the call for quota reasons (429, or a documented throttle answer). The queue
 * delays the job by `retryAfterMs` (the vendor's Retry-After) instead of counting a failure.
 */
export class RateLimitedError extends VendorError {
  override readonly name = 'RateLimitedError';
  readonly retryable = true;

  constructor(
    /** How long the vendor asked us to wait; undefined when it did not say. */
    readonly retryAfterMs: number | undefined,
    options: { status?: number; message?: string; cause?: unknown } = {},
  ) {
    super(options.message ?? `rate limited${retryAfterMs === undefined ? '' : `; retry after ${retryAfterMs} ms`}`, { status: options.status ?? 429, cause: options.cause });
  }
}
