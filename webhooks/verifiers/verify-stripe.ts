import { z } from 'zod';
import { decodeHex } from './decode.ts';
import { hmac } from './digest.ts';
import { matchSecret } from './match-secret.ts';
import { parseJsonBody, stringField } from './parse-json-body.ts';
import { parseKeyValueHeader } from './parse-key-value-header.ts';
import { readHeader } from './read-header.ts';
import { readOptions } from './read-options.ts';
import { checkTimestampWindow, parseDecimal, toleranceMs } from './timestamp-window.ts';
import type { EventIdInput, Verifier, VerifyResult } from './types.ts';

const sha256Bytes = 32;
const optionsSchema = z.strictObject({});

function stripeEventId({ rawBody }: EventIdInput): string | undefined {
  return stringField(parseJsonBody(rawBody), 'id');
}

/**
 * Stripe and Stripe-style senders: `Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>…]`, HMAC-SHA256
 * of `t.body`. The `whsec_` secret is the key as text; unlike Standard Webhooks it is not base64-decoded.
 */
export const stripeVerifier: Verifier = {
  scheme: 'stripe',
  optionsSchema,
  signatureHeaders: () => ['stripe-signature'],
  secretQueryParams: [],

  verify(input): VerifyResult {
    const tolerance = toleranceMs(input);
    if (readOptions(optionsSchema, input) === undefined || tolerance === undefined) {
      return { ok: false, reason: 'misconfigured' };
    }
    const header = readHeader(input.headers, 'stripe-signature')?.trim();
    if (!header) return { ok: false, reason: 'missing_signature' };

    let timestampText: string | undefined;
    let sawSignature = false;
    const signatures: Buffer[] = [];
    // v0 and any future scheme are ignored: only v1 is a live-mode HMAC-SHA256.
    for (const [key, value] of parseKeyValueHeader(header)) {
      if (key === 't') timestampText ??= value;
      if (key !== 'v1') continue;
      sawSignature = true;
      const signature = decodeHex(value);
      if (signature?.byteLength === sha256Bytes) signatures.push(signature);
    }
    if (timestampText === undefined) return { ok: false, reason: 'missing_timestamp' };
    const seconds = parseDecimal(timestampText);
    if (seconds === undefined) return { ok: false, reason: 'malformed_signature' };
    if (!sawSignature) return { ok: false, reason: 'missing_signature' };
    if (signatures.length === 0) return { ok: false, reason: 'malformed_signature' };
    const outside = checkTimestampWindow(seconds * 1000, input.now, tolerance);
    if (outside) return { ok: false, reason: outside };

    const match = matchSecret(input.secrets, input.now, signatures, (secret) => [
      hmac('sha256', secret, `${timestampText}.`, input.rawBody),
    ]);
    if (!match.ok) return match;
    return { ok: true, secretIndex: match.secretIndex, eventId: stripeEventId(input), timestamp: new Date(seconds * 1000) };
  },

  eventId: stripeEventId,
};
