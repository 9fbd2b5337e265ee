import { TransientVendorError } from '../../connectors/index.ts';

/**
 * A send whose outcome this process cannot know: the message went to the process that sends it
 * and no answer came back, so it may have gone out. The notifier keeps the attempt open and runs
 * it again after `retryAfterMs` with the same idempotency key, which the sending side answers with
 * its first result; a new attempt (with a new key) could reach the person twice. It is still a
 * TransientVendorError, so whatever classifies failures by class retries it on the same channel.
 */
export class UnconfirmedSendError extends TransientVendorError {
  declare readonly retryAfterMs: number;

  constructor(message: string, options: { retryAfterMs: number; cause?: unknown }) {
    super(message, options);
    // The base class fixes its own name as a field (typed as that literal), so it is set here.
    Object.defineProperty(this, 'name', { value: 'UnconfirmedSendError', writable: true, enumerable: true, configurable: true });
  }
}
