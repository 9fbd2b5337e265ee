import { AuthExpiredError, OutboundUrlRefusedError, TransientVendorError, UnrecoverableVendorError, VendorError } from '../sdk/index.ts';

/** The fields nodemailer puts on the errors it raises. */
interface SmtpFailure {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

// Socket-level failures: nothing was said about this message, so a later try may pass.
const NETWORK_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The named error for a failed SMTP exchange, so the queue knows what to do:
 * - AUTH refused (535 and the like) → AuthExpiredError;
 * - a 4xx reply (421 service unavailable, 450 mailbox busy, 452 storage) or a network failure →
 *   TransientVendorError;
 * - a 5xx reply (550 mailbox unavailable, 552 too large, 554 rejected) → UnrecoverableVendorError
 *   with the server's reply as its body (status 0: it is not an HTTP answer);
 * - a TLS failure → UnrecoverableVendorError, since `secure`/`port` must change.
 */
export function vendorErrorFromSmtp(err: unknown, what = 'SMTP'): VendorError {
  if (err instanceof VendorError) return err;
  if (err instanceof OutboundUrlRefusedError) return err;
  const failure = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SmtpFailure;
  const reply = (failure.response ?? failure.message ?? '').trim();
  const code = failure.responseCode;
  const command = failure.command ? ` to ${failure.command.split(' ')[0]}` : '';

  if (failure.code === 'EAUTH' || code === 535 || code === 534 || code === 530) {
    return new AuthExpiredError(`${what}: the server refused the login (${reply || 'authentication failed'}); check user and pass`, { cause: err });
  }
  if (code !== undefined && code >= 400 && code < 500) {
    return new TransientVendorError(`${what}: the server answered ${code}${command}, a temporary failure: ${reply}`, { cause: err });
  }
  if (code !== undefined && code >= 500) {
    return new UnrecoverableVendorError(0, reply, { message: `${what}: the server answered ${code}${command}, a permanent failure: ${reply}`, cause: err });
  }
  if (failure.code === 'ETLS') {
    return new UnrecoverableVendorError(0, reply, {
      message: `${what}: TLS failed (${reply}); use secure=true with port 465 and secure=false with 587 or 25`,
      cause: err,
    });
  }
  if (failure.code !== undefined && NETWORK_CODES.has(failure.code)) {
    return new TransientVendorError(`${what}: could not talk to the server (${failure.code}: ${reply})`, { cause: err });
  }
  if (failure.code === 'EENVELOPE' || failure.code === 'EMESSAGE') {
    return new UnrecoverableVendorError(0, reply, { message: `${what}: the message could not be sent as built (${reply})`, cause: err });
  }
  return new TransientVendorError(`${what}: ${reply || 'unexpected failure'}`, { cause: err });
}
