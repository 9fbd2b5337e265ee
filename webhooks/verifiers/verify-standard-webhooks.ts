import { z } from 'zod';
import { decodeBase64 } from './decode.ts';
import { hmac, hmacKeyCache } from './digest.ts';
import { matchSecret } from './match-secret.ts';
import { readHeader } from './read-header.ts';
import { readOptions } from './read-options.ts';
import { checkTimestampWindow, parseDecimal, toleranceMs } from './timestamp-window.ts';
import type { Verifier, VerifyResult } from './types.ts';

const secretPrefix = 'whsec_';
const sha256Bytes = 32;
const optionsSchema = z.strictObject({});

/**
 * The signing key behind a Standard Webhooks secret: base64 after an optional `whsec_` prefix.
 * Padding is optional because the spec's own example secret is unpadded.
 */
export function standardWebhooksKey(secret: string): Buffer | undefined {
  const encoded = secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : secret;
  return decodeBase64(encoded + '='.repeat((4 - (encoded.length % 4)) % 4));
}

const keyOf = hmacKeyCache(standardWebhooksKey);

/** Standard Webhooks (Svix): `v1` HMAC-SHA256 over `id.timestamp.body`, several signatures per header. */
export const standardWebhooksVerifier: Verifier = {
  scheme: 'standard-webhooks',
  optionsSchema,
  signatureHeaders: () => ['webhook-signature'],
  secretQueryParams: [],

  verify(input): VerifyResult {
    const tolerance = toleranceMs(input);
    if (readOptions(optionsSchema, input) === undefined || tolerance === undefined) {
      return { ok: false, reason: 'misconfigured' };
    }
    const signatureHeader = readHeader(input.headers, 'webhook-signature')?.trim();
    if (!signatureHeader) return { ok: false, reason: 'missing_signature' };
    const id = readHeader(input.headers, 'webhook-id')?.trim();
    if (!id) return { ok: false, reason: 'bad_request' };
    const timestampText = readHeader(input.headers, 'webhook-timestamp')?.trim();
    if (!timestampText) return { ok: false, reason: 'missing_timestamp' };
    const seconds = parseDecimal(timestampText);
    if (seconds === undefined) return { ok: false, reason: 'malformed_signature' };
    const outside = checkTimestampWindow(seconds * 1000, input.now, tolerance);
    if (outside) return { ok: false, reason: outside };

    // Other versions (e.g. v1a, asymmetric) may sit beside v1; only v1 is ours to check.
    const signatures: Buffer[] = [];
    for (const entry of signatureHeader.split(' ')) {
      const comma = entry.indexOf(',');
      if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
      const signature = decodeBase64(entry.slice(comma + 1));
      if (signature?.byteLength === sha256Bytes) signatures.push(signature);
    }
    if (signatures.length === 0) return { ok: false, reason: 'malformed_signature' };

    const match = matchSecret(input.secrets, input.now, signatures, (secret) => {
      const key = keyOf(secret);
      return key === undefined ? [] : [hmac('sha256', key, `${id}.${timestampText}.`, input.rawBody)];
    });
    if (!match.ok) return match;
    return { ok: true, secretIndex: match.secretIndex, eventId: id, timestamp: new Date(seconds * 1000) };
  },

  eventId: ({ headers }) => readHeader(headers, 'webhook-id')?.trim() || undefined,
};
