import { z } from 'zod';
import { eventIdFrom } from './event-id.ts';
import { verifyHubSignature } from './hub-signature.ts';
import { arrayField, parseJsonBody, stringField } from './parse-json-body.ts';
import { readOptions } from './read-options.ts';
import type { EventIdInput, Verifier, VerifyResult } from './types.ts';

const optionsSchema = z.strictObject({});

// WhatsApp sends no delivery id, so one is derived from the message and status ids in the batch.
// A status id repeats the message id it reports on, so the status itself is part of the key:
// otherwise "delivered" would be dropped as a duplicate of "sent".
function metaEventId({ rawBody }: EventIdInput): string | undefined {
  const parts: string[] = [];
  for (const entry of arrayField(parseJsonBody(rawBody), 'entry')) {
    for (const change of arrayField(entry, 'changes')) {
      const value = (change as { value?: unknown } | null)?.value;
      for (const message of arrayField(value, 'messages')) {
        const id = stringField(message, 'id');
        if (id) parts.push(id);
      }
      for (const status of arrayField(value, 'statuses')) {
        const id = stringField(status, 'id');
        if (id) parts.push(`${id}:${stringField(status, 'status') ?? ''}`);
      }
    }
  }
  return eventIdFrom(parts);
}

/** WhatsApp Cloud API: `X-Hub-Signature-256: sha256=<hex>` keyed with the app secret. */
export const metaVerifier: Verifier = {
  scheme: 'meta',
  optionsSchema,
  signatureHeaders: () => ['x-hub-signature-256', 'x-hub-signature'],
  secretQueryParams: [],

  verify(input): VerifyResult {
    if (readOptions(optionsSchema, input) === undefined) return { ok: false, reason: 'misconfigured' };
    const match = verifyHubSignature(input, 'x-hub-signature-256', 'sha256=');
    if (!match.ok) return match;
    return { ok: true, secretIndex: match.secretIndex, eventId: metaEventId(input) };
  },

  eventId: metaEventId,
};
