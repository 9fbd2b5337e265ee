import { VendorError } from './vendor-error.ts';

/** Why an outbound URL was refused. */
export type OutboundRefusal = 'invalid_url' | 'unsupported_scheme' | 'credentials_in_url' | 'private_address' | 'unresolvable';

/**
 * An outbound request was refused before any byte left the hub: its URL is not http(s), or its
 * host is (or resolves to) a private, loopback, link-local or otherwise internal address. Not
 * retryable: the connection's configuration must change.
 */
export class OutboundUrlRefusedError extends VendorError {
  override readonly name = 'OutboundUrlRefusedError';
  readonly retryable = false;

  constructor(
    readonly reason: OutboundRefusal,
    message: string,
  ) {
    super(message);
  }
}
