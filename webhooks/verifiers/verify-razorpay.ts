import { z } from 'zod';
import { decodeHex } from './decode.ts';
import { hmac } from './digest.ts';
import { matchSecret } from './match-secret.ts';
import { readHeader } from './read-header.ts';
import { readOptions } from './read-options.ts';
import type { EventIdInput, Verifier, VerifyResult } from './types.ts';

const sha256Bytes = 32;
const optionsSchema = z.strictObject({});

function razorpayEventId({ headers }: EventIdInput): string | undefined {
  return readHeader(headers, 'x-razorpay-event-id')?.trim() || undefined;
}

/** Razorpay: `X-Razorpay-Signature` is the hex HMAC-SHA256 of the raw body, keyed with the webhook secret. */
export const razorpayVerifier: Verifier = {
  scheme: 'razorpay',
  optionsSchema,
  signatureHeaders: () => ['x-razorpay-signature'],
  secretQueryParams: [],

  verify(input): VerifyResult {
    if (readOptions(optionsSchema, input) === undefined) return { ok: false, reason: 'misconfigured' };
    const header = readHeader(input.headers, 'x-razorpay-signature')?.trim();
    if (!header) return { ok: false, reason: 'missing_signature' };
    const signature = decodeHex(header);
    if (signature?.byteLength !== sha256Bytes) return { ok: false, reason: 'malformed_signature' };
    const match = matchSecret(input.secrets, input.now, [signature], (secret) => [hmac('sha256', secret, input.rawBody)]);
    if (!match.ok) return match;
    return { ok: true, secretIndex: match.secretIndex, eventId: razorpayEventId(input) };
  },

  eventId: razorpayEventId,
};
