/**
 * What every error a connector raises about its vendor has in common. Queue workers decide what
 * to do from the class alone, so a connector's happy path needs no retry logic.
 */
export abstract class VendorError extends Error {
  /** True when the same call may succeed later without anyone changing anything. */
  abstract readonly retryable: boolean;
  /** The vendor's HTTP status, when the failure was an HTTP answer. */
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}
