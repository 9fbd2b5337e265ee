import { z } from 'zod';
import { parseJsonBody, stringField } from './parse-json-body.ts';
import type { EventIdInput, Verifier, VerifyResult } from './types.ts';
import { verifyTimestampedHmac } from './verify-timestamped-hmac.ts';
import type { TimestampedHmacScheme } from './verify-timestamped-hmac.ts';

const optionsSchema = z.strictObject({});

function zohoPaymentsEventId({ rawBody }: EventIdInput): string | undefined {
  return stringField(parseJsonBody(rawBody), 'event_id');
}

const zohoPaymentsScheme: TimestampedHmacScheme = {
  optionsSchema,
  header: 'x-zoho-webhook-signature',
  signatureKey: 'v',
  timestampUnitMs: 1,
  eventId: zohoPaymentsEventId,
};

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
    return verifyTimestampedHmac(zohoPaymentsScheme, input);
  },

  eventId: zohoPaymentsEventId,
};
