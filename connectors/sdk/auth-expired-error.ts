import { VendorError } from './vendor-error.ts';

/**
 * The vendor rejected the credentials (401, a refused token request). Connectors that can refresh
 * a token do so once before raising this; the queue then stops retrying and marks the connection
 * for an admin to re-authorise.
 */
export class AuthExpiredError extends VendorError {
  override readonly name = 'AuthExpiredError';
  readonly retryable = false;

  constructor(message = 'the vendor rejected the credentials', options: { status?: number; cause?: unknown } = {}) {
    super(message, { status: options.status ?? 401, cause: options.cause });
  }
}
