import { VendorError } from './vendor-error.ts';

/**
 * The vendor refused the request itself (most 4xx): repeating it unchanged fails the same way, so
 * the queue sends the job to dead letters, where it can be replayed after a mapping or config fix.
 * `status` is 0 when the refusal did not come from an HTTP answer (e.g. a reply of the wrong shape).
 */
export class UnrecoverableVendorError extends VendorError {
  override readonly name = 'UnrecoverableVendorError';
  readonly retryable = false;
  declare readonly status: number;

  constructor(
    status: number,
    /** The vendor's answer, truncated; it explains the refusal in dead-letter views. */
    readonly body: string,
    options: { message?: string; cause?: unknown } = {},
  ) {
    super(options.message ?? `vendor refused the request (${status}): ${body.slice(0, 200)}`, { status, cause: options.cause });
  }
}
