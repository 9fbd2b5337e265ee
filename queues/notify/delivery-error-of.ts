import { AuthExpiredError, OutboundUrlRefusedError, RateLimitedError, TransientVendorError, UnrecoverableVendorError } from '../../connectors/index.ts';
import type { DeliveryError } from '../../core/notifications/index.ts';

const MAX_MESSAGE = 300;

/**
 * A send failure in delivery terms. The connector's named error decides: rate limits and
 * transient failures retry on the channel; refusals, expired logins and refused addresses move
 * on to the next channel. Twilio's 21610 (the number texted STOP) also records an opt-out.
 */
export function deliveryErrorOf(err: unknown, connector: string): DeliveryError {
  const message = (err instanceof Error ? err.message : String(err)).slice(0, MAX_MESSAGE);
  if (err instanceof RateLimitedError) return { code: 'rate_limited', message, permanent: false, ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}) };
  if (err instanceof TransientVendorError) return { code: err.status !== undefined ? String(err.status) : 'transient', message, permanent: false };
  if (err instanceof AuthExpiredError) return { code: 'auth_failed', message, permanent: true };
  if (err instanceof OutboundUrlRefusedError) return { code: 'address_refused', message, permanent: true };
  if (err instanceof UnrecoverableVendorError) {
    const optOut = connector === 'twilio' && /\b21610\b/.test(`${err.message} ${err.body}`);
    return { code: optOut ? '21610' : err.status ? String(err.status) : 'refused', message, permanent: true, ...(optOut ? { optOut: true } : {}) };
  }
  return { code: 'error', message, permanent: false };
}
