import type { z } from 'zod';
import { decodeHex } from './decode.ts';
import { hmac } from './digest.ts';
import { matchSecret } from './match-secret.ts';
import { parseKeyValueHeader } from './parse-key-value-header.ts';
import { readHeader } from './read-header.ts';
import { readOptions } from './read-options.ts';
import { checkTimestampWindow, parseDecimal, toleranceMs } from './timestamp-window.ts';
import type { EventIdInput, VerifyInput, VerifyResult } from './types.ts';

const sha256Bytes = 32;

/** How one sender spells a `t=<timestamp>,<key>=<hex>` signature header. */
export interface TimestampedHmacScheme {
  optionsSchema: z.ZodType;
  /** Lower-case header name. */
  header: string;
  /** The key of the HMAC-SHA256 entries; entries under any other key are ignored. */
  signatureKey: string;
  /** Milliseconds per unit of `t` (1000 for seconds, 1 for milliseconds). */
  timestampUnitMs: number;
  eventId: (input: EventIdInput) => string | undefined;
}

/**
 * Checks a `t=<timestamp>,<key>=<hex>[,<key>=<hex>…]` header carrying HMAC-SHA256 of `t.body`,
 * with the secret used as the key text.
 */
export function verifyTimestampedHmac(scheme: TimestampedHmacScheme, input: VerifyInput): VerifyResult {
  const tolerance = toleranceMs(input);
  if (readOptions(scheme.optionsSchema, input) === undefined || tolerance === undefined) {
    return { ok: false, reason: 'misconfigured' };
  }
  const header = readHeader(input.headers, scheme.header)?.trim();
  if (!header) return { ok: false, reason: 'missing_signature' };

  let timestampText: string | undefined;
  let sawSignature = false;
  const signatures: Buffer[] = [];
  for (const [key, value] of parseKeyValueHeader(header)) {
    if (key === 't') timestampText ??= value;
    if (key !== scheme.signatureKey) continue;
    sawSignature = true;
    const signature = decodeHex(value);
    if (signature?.byteLength === sha256Bytes) signatures.push(signature);
  }
  if (timestampText === undefined) return { ok: false, reason: 'missing_timestamp' };
  const timestamp = parseDecimal(timestampText);
  if (timestamp === undefined) return { ok: false, reason: 'malformed_signature' };
  if (!sawSignature) return { ok: false, reason: 'missing_signature' };
  if (signatures.length === 0) return { ok: false, reason: 'malformed_signature' };
  const outside = checkTimestampWindow(timestamp * scheme.timestampUnitMs, input.now, tolerance);
  if (outside) return { ok: false, reason: outside };

  const match = matchSecret(input.secrets, input.now, signatures, (secret) => [
    hmac('sha256', secret, `${timestampText}.`, input.rawBody),
  ]);
  if (!match.ok) return match;
  return { ok: true, secretIndex: match.secretIndex, eventId: scheme.eventId(input), timestamp: new Date(timestamp * scheme.timestampUnitMs) };
}
