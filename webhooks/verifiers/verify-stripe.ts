import { z } from 'zod';
import { parseJsonBody, stringField } from './parse-json-body.ts';
import type { EventIdInput, Verifier, VerifyResult } from './types.ts';
import { verifyTimestampedHmac } from './verify-timestamped-hmac.ts';
import type { TimestampedHmacScheme } from './verify-timestamped-hmac.ts';

const optionsSchema = z.strictObject({});

function stripeEventId({ rawBody }: EventIdInput): string | undefined {
  return stringField(parseJsonBody(rawBody), 'id');
}

// v0 and any future scheme are ignored: only v1 is a live-mode HMAC-SHA256.
const stripeScheme: TimestampedHmacScheme = {
  optionsSchema,
  header: 'stripe-signature',
  signatureKey: 'v1',
  timestampUnitMs: 1000,
  eventId: stripeEventId,
};

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
    return verifyTimestampedHmac(stripeScheme, input);
  },

  eventId: stripeEventId,
};
