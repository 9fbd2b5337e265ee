import type { z } from 'zod';
import type { SchemeId } from './scheme-ids.ts';

/** A plaintext webhook secret, already decrypted by the caller. */
export interface WebhookSecret {
  value: string;
  /** The secret stops verifying after this instant; lets an old secret overlap a new one during rotation. */
  notAfter?: Date;
}

/** Request headers as either a Fetch `Headers` or a plain record (names in any case). */
export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** What a verifier needs to know about a received request. */
export interface VerifyInput {
  /** The exact bytes received; never a re-serialised body. */
  rawBody: Uint8Array;
  headers: HeaderSource;
  /** The public URL the provider called (public base URL + path + query), exactly as the provider sent it. */
  url: string;
  /** Every secret of the connection; expired ones are skipped, the rest are tried in order. */
  secrets: readonly WebhookSecret[];
  now: Date;
  /** Allowed clock skew, both ways, where the scheme signs a timestamp. */
  toleranceSeconds?: number;
  /** Scheme options, checked by the verifier's `optionsSchema`. */
  options?: Readonly<Record<string, unknown>>;
}

/** The parts of a request a provider event id can be read from. */
export type EventIdInput = Pick<VerifyInput, 'rawBody' | 'headers' | 'options'>;

/** Why a request was refused. Callers answer every one with the same bare 4xx. */
export type VerifyFailure =
  | 'missing_signature'
  | 'malformed_signature'
  | 'bad_signature'
  | 'missing_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'no_active_secret'
  | 'misconfigured'
  | 'bad_request';

/** The outcome of verifying one request. */
export type VerifyResult =
  | {
      ok: true;
      /** Position in `VerifyInput.secrets` of the secret that matched; absent when the scheme accepted without one. */
      secretIndex?: number;
      /** The provider's event id, for dedupe, when it sends or implies one. */
      eventId?: string;
      /** The signed timestamp, where the scheme signs one. */
      timestamp?: Date;
    }
  | { ok: false; reason: VerifyFailure };

/** One signature scheme: pure, synchronous, no I/O. */
export interface Verifier {
  readonly scheme: SchemeId;
  /** Validates `VerifyInput.options`; run it when a connection is saved so a bad option fails early. */
  readonly optionsSchema: z.ZodType;
  /** Lower-case names of the headers that carry credentials; drop them before storing an envelope. */
  signatureHeaders(options?: Readonly<Record<string, unknown>>): string[];
  /** Query parameters that carry credentials; drop them from a stored URL. */
  readonly secretQueryParams: readonly string[];
  /** Secrets shorter than this never verify, so a connection must not be given one. */
  readonly minSecretLength?: number;
  verify(input: VerifyInput): VerifyResult;
  /** The provider's event id for dedupe, or undefined when the request carries none. */
  eventId(input: EventIdInput): string | undefined;
}
