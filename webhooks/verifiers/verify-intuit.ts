import { z } from 'zod';
import { decodeBase64 } from './decode.ts';
import { hmac } from './digest.ts';
import { digestOfIds, eventIdFrom } from './event-id.ts';
import { matchSecret } from './match-secret.ts';
import { arrayField, isRecord, parseJsonBody, stringField } from './parse-json-body.ts';
import { readHeader } from './read-header.ts';
import { readOptions } from './read-options.ts';
import type { EventIdInput, Verifier, VerifyResult } from './types.ts';

const sha256Bytes = 32;
const optionsSchema = z.strictObject({});

// QuickBooks sends no delivery id. The CloudEvents format carries one per event; the legacy
// format does not, so its entity tuples stand in: a retry repeats them exactly, while a later
// change to the same entity has a new `lastUpdated`.
function intuitEventId({ rawBody }: EventIdInput): string | undefined {
  const body = parseJsonBody(rawBody);
  if (Array.isArray(body)) {
    const ids = body.map((event) => stringField(event, 'id')).filter((id): id is string => id !== undefined);
    return eventIdFrom(ids);
  }
  const tuples: string[] = [];
  for (const notification of arrayField(body, 'eventNotifications')) {
    const realmId = stringField(notification, 'realmId') ?? '';
    const change = isRecord(notification) ? notification['dataChangeEvent'] : undefined;
    for (const entity of arrayField(change, 'entities')) {
      const fields = ['name', 'id', 'operation', 'lastUpdated', 'deletedId'].map((key) => stringField(entity, key) ?? '');
      tuples.push([realmId, ...fields].join('|'));
    }
  }
  return tuples.length === 0 ? undefined : `qbo:${digestOfIds(tuples)}`;
}

/** QuickBooks Online: `intuit-signature` is the base64 HMAC-SHA256 of the raw body, keyed with the verifier token. */
export const intuitVerifier: Verifier = {
  scheme: 'intuit',
  optionsSchema,
  signatureHeaders: () => ['intuit-signature'],
  secretQueryParams: [],

  verify(input): VerifyResult {
    if (readOptions(optionsSchema, input) === undefined) return { ok: false, reason: 'misconfigured' };
    const header = readHeader(input.headers, 'intuit-signature')?.trim();
    if (!header) return { ok: false, reason: 'missing_signature' };
    const signature = decodeBase64(header);
    if (signature?.byteLength !== sha256Bytes) return { ok: false, reason: 'malformed_signature' };
    const match = matchSecret(input.secrets, input.now, [signature], (secret) => [hmac('sha256', secret, input.rawBody)]);
    if (!match.ok) return match;
    return { ok: true, secretIndex: match.secretIndex, eventId: intuitEventId(input) };
  },

  eventId: intuitEventId,
};
