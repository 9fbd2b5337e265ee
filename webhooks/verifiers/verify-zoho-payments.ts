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

function zohoPaymentsEventId({ rawBody }: EventIdInput): string | undefined {
  return stringField(parseJsonBody(rawBody), 'event_id');
}

/**
 * Zoho Payments: `X-Zoho-Webhook-Signature: t=<milliseconds>,v=<hex>`, HMAC-SHA256 of `t.body`
 * keyed with the endpoint's signing key. Note the timestamp is in milliseconds, not seconds.
 */
export const zohoPaymentsVerifier: Verifier = {
  scheme: 'zoho-payments',
  optionsSchema,
  signatureHeaders: () => ['x-zoho-webhook-signature'],
  secretQueryParams: [],

  verify(input): VerifyResult {
    const tolerance = toleranceMs(input);
    if (readOptions(optionsSchema, input) === undefined || tolerance === undefined) {
      return { ok: false, reason: 'misconfigured' };
    }
    const header = readHeader(input.headers, 'x-zoho-webhook-signature')?.trim();
    if (!header) return { ok: false, reason: 'missing_signature' };

    let timestampText: string | undefined;
    let sawSignature = false;
    const signatures: Buffer[] = [];
    for (const [key, value] of parseKeyValueHeader(header)) {
      if (key === 't') timestampText ??= value;
      if (key !== 'v') continue;
      sawSignature = true;
      const signature = decodeHex(value);
      if (signature?.byteLength === sha256Bytes) signatures.push(signature);
    }
    if (timestampText === undefined) return { ok: false, reason: 'missing_timestamp' };
    const milliseconds = parseDecimal(timestampText);
    if (milliseconds === undefined) return { ok: false, reason: 'malformed_signature' };
    if (!sawSignature) return { ok: false, reason: 'missing_signature' };
    if (signatures.length === 0) return { ok: false, reason: 'malformed_signature' };
    const outside = checkTimestampWindow(milliseconds, input.now, tolerance);
    if (outside) return { ok: false, reason: outside };

    const match = matchSecret(input.secrets, input.now, signatures, (secret) => [
      hmac('sha256', secret, `${timestampText}.`, input.rawBody),
    ]);
    if (!match.ok) return match;
    return { ok: true, secretIndex: match.secretIndex, eventId: zohoPaymentsEventId(input), timestamp: new Date(milliseconds) };
  },

  eventId: zohoPaymentsEventId,
};
