import { VendorError } from './vendor-error.ts';

/** A failure that may pass on its own: network errors, timeouts, 5xx. The queue retries with backoff. */
export class TransientVendorError extends VendorError {
  override readonly name = 'TransientVendorError';
  readonly retryable = true;
  /** The vendor's Retry-After, when a 503 carried one. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}
