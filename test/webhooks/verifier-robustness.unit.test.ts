import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemeIds, verifiers, type VerifyInput } from '../../webhooks/verifiers/index.ts';

// Every header a verifier reads, so random values reach the parsing code rather than an early "missing".
const knownHeaders = [
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-hub-signature-256',
  'x-hub-signature',
  'x-github-delivery',
  'x-atlassian-webhook-identifier',
  'intuit-signature',
  'x-twilio-signature',
  'i-twilio-idempotency-token',
  'x-razorpay-signature',
  'x-razorpay-event-id',
  'stripe-signature',
  'x-zoho-webhook-signature',
  'x-hub-token',
  'content-type',
];

const headerValue = fc.oneof(
  fc.string(),
  fc.stringMatching(/^(sha256=|v1,|t=\d{0,14},v1?=)[0-9a-fA-F+/=,\s]{0,80}$/),
  fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/xml'),
);

const body = fc.oneof(
  fc.uint8Array({ maxLength: 256 }),
  fc.json().map((text) => new TextEncoder().encode(text)),
  fc
    .string({ unit: fc.constantFrom('<', '>', '/', 'a', ':', '&', ';', '#', 'x', '!', '-', '[', ']', '?', '"', ' ', 'Id') })
    .map((text) => new TextEncoder().encode(`<Envelope><Body><notifications>${text}</notifications></Body></Envelope>`)),
);

const input: fc.Arbitrary<VerifyInput> = fc.record({
  rawBody: body,
  headers: fc.dictionary(fc.oneof(fc.constantFrom(...knownHeaders), fc.string()), headerValue),
  url: fc.oneof(fc.webUrl({ withQueryParameters: true }), fc.string()),
  secrets: fc.array(fc.record({ value: fc.string() }), { maxLength: 3 }),
  now: fc.date({ noInvalidDate: true }),
  toleranceSeconds: fc.option(fc.oneof(fc.integer(), fc.double()), { nil: undefined }),
  options: fc.option(fc.oneof(fc.constant({ organizationId: '00D7F00000107Xs' }), fc.dictionary(fc.string(), fc.jsonValue())), {
    nil: undefined,
  }),
});

describe.each(schemeIds)('%s verifier on arbitrary input', (scheme) => {
  it('never throws and never accepts a request nobody signed', () => {
    fc.assert(
      fc.property(input, (request) => {
        const result = verifiers[scheme].verify(request);
        if (scheme === 'salesforce-outbound' && request.secrets.length === 0) return; // unsigned by design
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('reads event ids without throwing', () => {
    fc.assert(
      fc.property(input, (request) => {
        const id = verifiers[scheme].eventId(request);
        expect(id === undefined || typeof id === 'string').toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
