import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  schemeIds,
  signGithub,
  signIntuit,
  signJira,
  signMeta,
  signRazorpay,
  signStandardWebhook,
  signStripe,
  signTwilio,
  signZohoPayments,
  verifierFor,
  verifiers,
  type SchemeId,
  type VerifyInput,
  type WebhookSecret,
} from '../../webhooks/verifiers/index.ts';

const signedAt = new Date('2025-01-15T10:00:00.000Z');
const encoder = new TextEncoder();

interface Signed {
  headers: Record<string, string>;
  url?: string;
}

/** What the shared behaviour matrix needs to know about one scheme. */
interface SchemeFixture {
  scheme: Exclude<SchemeId, 'salesforce-outbound'>;
  secret(label: string): string;
  body: string;
  /** A change in meaning, not only in bytes. */
  tamper(body: string): string;
  url: string;
  contentType: string;
  signsTimestamp: boolean;
  sign(secret: string, body: string, at: Date): Signed;
  signatureHeader: string;
  /** A value of the signature header that cannot be decoded. */
  malformed: string;
  eventId: string | RegExp;
}

const plainSecret = (scheme: string) => (label: string) => `${scheme}-secret-${label}`;

const fixtures: SchemeFixture[] = [
  {
    scheme: 'standard-webhooks',
    secret: (label) => `whsec_${createHash('sha256').update(label).digest('base64')}`,
    body: '{"type":"invoice.paid","data":{"invoice":"INV-0042","amount":125000}}',
    tamper: (body) => body.replace('125000', '125001'),
    url: 'https://hub.example.com/webhooks/c_01/standard',
    contentType: 'application/json',
    signsTimestamp: true,
    sign: (secret, body, at) => ({
      headers: signStandardWebhook({ secret, id: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', timestamp: at, body }),
    }),
    signatureHeader: 'webhook-signature',
    malformed: 'v1,not*base64',
    eventId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
  },
  {
    scheme: 'github',
    secret: plainSecret('github'),
    body: '{"action":"opened","issue":{"number":42,"title":"Milestone 3 acceptance"}}',
    tamper: (body) => body.replace('42', '43'),
    url: 'https://hub.example.com/webhooks/c_02/github',
    contentType: 'application/json',
    signsTimestamp: false,
    sign: (secret, body) => ({ headers: signGithub({ secret, body, deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958' }) }),
    signatureHeader: 'x-hub-signature-256',
    malformed: 'sha256=not-hex',
    eventId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
  },
  {
    scheme: 'jira',
    secret: plainSecret('jira'),
    body: '{"timestamp":1736935200000,"webhookEvent":"jira:issue_updated","issue":{"id":"10002","key":"MH-7"}}',
    tamper: (body) => body.replace('MH-7', 'MH-8'),
    url: 'https://hub.example.com/webhooks/c_03/jira',
    contentType: 'application/json',
    signsTimestamp: false,
    sign: (secret, body) => ({ headers: signJira({ secret, body, identifier: '3482' }) }),
    signatureHeader: 'x-hub-signature',
    malformed: 'sha256=abc',
    eventId: '3482',
  },
  {
    scheme: 'meta',
    secret: plainSecret('meta'),
    body: JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                messages: [{ from: '919800000000', id: 'wamid.HBgMOTE5ODAwMDAwMDAwFQIAEhgg', type: 'text', text: { body: 'Done' } }],
              },
            },
          ],
        },
      ],
    }),
    tamper: (body) => body.replace('Done', 'Paid'),
    url: 'https://hub.example.com/webhooks/c_04/meta',
    contentType: 'application/json',
    signsTimestamp: false,
    sign: (secret, body) => ({ headers: signMeta({ appSecret: secret, body }) }),
    signatureHeader: 'x-hub-signature-256',
    malformed: 'sha1=0123456789abcdef0123456789abcdef01234567',
    eventId: 'wamid.HBgMOTE5ODAwMDAwMDAwFQIAEhgg',
  },
  {
    scheme: 'intuit',
    secret: plainSecret('intuit'),
    body: JSON.stringify({
      eventNotifications: [
        {
          realmId: '9130351612343546',
          dataChangeEvent: {
            entities: [{ name: 'Invoice', id: '130', operation: 'Create', lastUpdated: '2025-01-15T09:59:58.000Z' }],
          },
        },
      ],
    }),
    tamper: (body) => body.replace('"130"', '"131"'),
    url: 'https://hub.example.com/webhooks/c_05/intuit',
    contentType: 'application/json',
    signsTimestamp: false,
    sign: (secret, body) => ({ headers: signIntuit({ verifierToken: secret, body }) }),
    signatureHeader: 'intuit-signature',
    malformed: 'bm90IGEgc2hhMjU2',
    eventId: /^qbo:sha256:[0-9a-f]{64}$/,
  },
  {
    scheme: 'twilio',
    secret: plainSecret('twilio'),
    body: 'MessageSid=SM0123456789abcdef0123456789abcdef&SmsStatus=received&Body=Milestone+3+done&From=%2B919800000000&To=%2B14155550100',
    tamper: (body) => body.replace('Milestone+3', 'Milestone+4'),
    url: 'https://hub.example.com/webhooks/c_06/twilio?tenant=t_1',
    contentType: 'application/x-www-form-urlencoded; charset=UTF-8',
    signsTimestamp: false,
    sign: (secret, body) => ({
      headers: signTwilio({ authToken: secret, url: 'https://hub.example.com/webhooks/c_06/twilio?tenant=t_1', params: new URLSearchParams(body) }),
    }),
    signatureHeader: 'x-twilio-signature',
    malformed: 'not*base64',
    eventId: 'SM0123456789abcdef0123456789abcdef:received',
  },
  {
    scheme: 'razorpay',
    secret: plainSecret('razorpay'),
    body: '{"entity":"event","event":"payment.captured","payload":{"payment":{"entity":{"id":"pay_29QQoUBi66xm2f","amount":125000}}}}',
    tamper: (body) => body.replace('125000', '1250000'),
    url: 'https://hub.example.com/webhooks/c_07/razorpay',
    contentType: 'application/json',
    signsTimestamp: false,
    sign: (secret, body) => ({ headers: signRazorpay({ secret, body, eventId: 'KxLnxqoqZrVxKT' }) }),
    signatureHeader: 'x-razorpay-signature',
    malformed: 'xyz',
    eventId: 'KxLnxqoqZrVxKT',
  },
  {
    scheme: 'stripe',
    secret: plainSecret('whsec_stripe'),
    body: '{"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","object":"event","type":"invoice.paid","data":{"object":{"amount_paid":125000}}}',
    tamper: (body) => body.replace('125000', '125001'),
    url: 'https://hub.example.com/webhooks/c_08/stripe',
    contentType: 'application/json',
    signsTimestamp: true,
    sign: (secret, body, at) => ({ headers: signStripe({ secret, timestamp: at, body }) }),
    signatureHeader: 'stripe-signature',
    malformed: 't=1736935200,v1=abc',
    eventId: 'evt_1NG8Du2eZvKYlo2CUI79vXWy',
  },
  {
    scheme: 'zoho-payments',
    secret: plainSecret('zoho'),
    body: '{"event_id":"3000000012345","event_type":"payment.succeeded","payment":{"payment_id":"2000000012001","amount":"1250.00"}}',
    tamper: (body) => body.replace('1250.00', '12500.00'),
    url: 'https://hub.example.com/webhooks/c_09/zoho',
    contentType: 'application/json',
    signsTimestamp: true,
    sign: (secret, body, at) => ({ headers: signZohoPayments({ secret, timestamp: at, body }) }),
    signatureHeader: 'x-zoho-webhook-signature',
    malformed: 't=1736935200000,v=abc',
    eventId: '3000000012345',
  },
];

function inputFor(
  fixture: SchemeFixture,
  overrides: { body?: string; signedWith?: string; secrets?: WebhookSecret[]; now?: Date; at?: Date } & Partial<VerifyInput> = {},
): VerifyInput {
  const body = overrides.body ?? fixture.body;
  const secret = overrides.signedWith ?? fixture.secret('current');
  const signed = fixture.sign(secret, fixture.body, overrides.at ?? signedAt);
  return {
    rawBody: encoder.encode(body),
    headers: { 'content-type': fixture.contentType, ...signed.headers },
    url: signed.url ?? fixture.url,
    secrets: overrides.secrets ?? [{ value: fixture.secret('current') }],
    now: overrides.now ?? signedAt,
    ...(overrides.headers ? { headers: overrides.headers } : {}),
    ...(overrides.toleranceSeconds !== undefined ? { toleranceSeconds: overrides.toleranceSeconds } : {}),
    ...(overrides.options ? { options: overrides.options } : {}),
  };
}

function later(seconds: number): Date {
  return new Date(signedAt.getTime() + seconds * 1000);
}

describe.each(fixtures)('$scheme verifier', (fixture) => {
  const verifier = verifiers[fixture.scheme];

  it('accepts a correctly signed request and reports the secret and event id', () => {
    const result = verifier.verify(inputFor(fixture));
    expect(result).toMatchObject({ ok: true, secretIndex: 0 });
    if (!result.ok) return;
    if (typeof fixture.eventId === 'string') expect(result.eventId).toBe(fixture.eventId);
    else expect(result.eventId).toMatch(fixture.eventId);
    expect(verifier.eventId(inputFor(fixture))).toBe(result.eventId);
    if (fixture.signsTimestamp) expect(result.timestamp?.getTime()).toBe(Math.floor(signedAt.getTime() / 1000) * 1000);
  });

  it('reads header names case-insensitively, from a record or a Fetch Headers', () => {
    const input = inputFor(fixture);
    const upper = Object.fromEntries(Object.entries(input.headers).map(([name, value]) => [name.toUpperCase(), value]));
    expect(verifier.verify({ ...input, headers: upper }).ok).toBe(true);
    expect(verifier.verify({ ...input, headers: new Headers(upper as Record<string, string>) }).ok).toBe(true);
  });

  it('rejects a tampered body', () => {
    expect(verifier.verify(inputFor(fixture, { body: fixture.tamper(fixture.body) }))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('signs the exact bytes: one added space is a different body', () => {
    expect(verifier.verify(inputFor(fixture, { body: `${fixture.body} ` }))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a signature made with another secret', () => {
    const input = inputFor(fixture, { signedWith: fixture.secret('attacker') });
    expect(verifier.verify(input)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('accepts the new secret while the old one is still listed', () => {
    const secrets = [{ value: fixture.secret('old'), notAfter: later(3600) }, { value: fixture.secret('new') }];
    expect(verifier.verify(inputFor(fixture, { signedWith: fixture.secret('new'), secrets }))).toMatchObject({ ok: true, secretIndex: 1 });
    expect(verifier.verify(inputFor(fixture, { signedWith: fixture.secret('old'), secrets }))).toMatchObject({ ok: true, secretIndex: 0 });
  });

  it('ignores a secret past its notAfter', () => {
    const secrets = [{ value: fixture.secret('old'), notAfter: later(-1) }, { value: fixture.secret('new') }];
    expect(verifier.verify(inputFor(fixture, { signedWith: fixture.secret('old'), secrets }))).toEqual({ ok: false, reason: 'bad_signature' });
    const onlyExpired = [{ value: fixture.secret('old'), notAfter: later(-1) }];
    expect(verifier.verify(inputFor(fixture, { signedWith: fixture.secret('old'), secrets: onlyExpired }))).toEqual({
      ok: false,
      reason: 'no_active_secret',
    });
    expect(verifier.verify(inputFor(fixture, { secrets: [] }))).toEqual({ ok: false, reason: 'no_active_secret' });
  });

  it('reports a missing signature header', () => {
    const input = inputFor(fixture);
    const headers = Object.fromEntries(Object.entries(input.headers).filter(([name]) => name !== fixture.signatureHeader));
    expect(verifier.verify({ ...input, headers })).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifier.verify({ ...input, headers: { ...headers, [fixture.signatureHeader]: '   ' } })).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
  });

  it('reports a signature header it cannot decode', () => {
    const input = inputFor(fixture);
    const headers = { ...input.headers, [fixture.signatureHeader]: fixture.malformed };
    expect(verifier.verify({ ...input, headers })).toEqual({ ok: false, reason: 'malformed_signature' });
  });

  it('lists its signature header among those to drop before storage', () => {
    expect(verifier.signatureHeaders()).toContain(fixture.signatureHeader);
  });

  it('refuses options it does not know, so a typo fails when the connection is saved', () => {
    expect(verifier.optionsSchema.safeParse({ signatureHeadr: 'x' }).success).toBe(false);
    expect(verifier.verify(inputFor(fixture, { options: { signatureHeadr: 'x' } }))).toEqual({ ok: false, reason: 'misconfigured' });
  });

  if (fixture.signsTimestamp) {
    it('rejects a stale timestamp', () => {
      expect(verifier.verify(inputFor(fixture, { now: later(301) }))).toEqual({ ok: false, reason: 'stale_timestamp' });
    });

    it('rejects a timestamp from the future', () => {
      expect(verifier.verify(inputFor(fixture, { now: later(-301) }))).toEqual({ ok: false, reason: 'future_timestamp' });
    });

    it('accepts a timestamp exactly at the edge of the default five-minute window', () => {
      expect(verifier.verify(inputFor(fixture, { now: later(300) })).ok).toBe(true);
      expect(verifier.verify(inputFor(fixture, { now: later(-300) })).ok).toBe(true);
    });

    it('honours a caller-supplied tolerance and refuses a nonsensical one', () => {
      expect(verifier.verify(inputFor(fixture, { now: later(11), toleranceSeconds: 10 }))).toEqual({ ok: false, reason: 'stale_timestamp' });
      expect(verifier.verify(inputFor(fixture, { toleranceSeconds: -1 }))).toEqual({ ok: false, reason: 'misconfigured' });
    });

    it('rejects a replay with a fresh timestamp but the old signature', () => {
      const old = inputFor(fixture);
      const fresh = inputFor(fixture, { at: later(600), now: later(600) });
      const oldHeaders = old.headers as Record<string, string>;
      const freshHeaders = fresh.headers as Record<string, string>;
      const oldSignature = oldHeaders[fixture.signatureHeader] ?? '';
      const freshSignature = freshHeaders[fixture.signatureHeader] ?? '';
      // Keep the fresh timestamp and graft on the old signature(s).
      const grafted =
        fixture.scheme === 'standard-webhooks'
          ? { ...freshHeaders, 'webhook-signature': oldSignature }
          : { ...freshHeaders, [fixture.signatureHeader]: [freshSignature.split(',')[0], ...oldSignature.split(',').slice(1)].join(',') };
      expect(verifier.verify({ ...fresh, headers: grafted })).toEqual({ ok: false, reason: 'bad_signature' });
    });
  } else {
    it('has no timestamp to check, so an old request with a valid signature still verifies', () => {
      expect(verifier.verify(inputFor(fixture, { now: later(86_400) })).ok).toBe(true);
    });
  }
});

describe('verifier registry', () => {
  it('has exactly one verifier per scheme id, each under its own id', () => {
    expect(Object.keys(verifiers).sort()).toEqual([...schemeIds].sort());
    for (const id of schemeIds) expect(verifiers[id].scheme).toBe(id);
  });

  it('exposes scheme ids usable as a zod enum', () => {
    const schema = z.enum(schemeIds);
    expect(schema.parse('stripe')).toBe('stripe');
    expect(schema.safeParse('paypal').success).toBe(false);
  });

  it('finds a verifier by stored id, and nothing for an unknown one', () => {
    expect(verifierFor('twilio')).toBe(verifiers.twilio);
    expect(verifierFor('paypal')).toBeUndefined();
    expect(verifierFor('__proto__')).toBeUndefined();
  });

  it('accepts empty options for every scheme except salesforce-outbound, which needs its org id', () => {
    for (const id of schemeIds) {
      expect(verifiers[id].optionsSchema.safeParse({}).success).toBe(id !== 'salesforce-outbound');
    }
  });
});

describe('github-style senders', () => {
  const body = '{"ref":"refs/heads/main"}';
  const secret = 'gitea-secret';

  it('read the signature from a configured header and prefix', () => {
    const headers = signGithub({ secret, body, signatureHeader: 'X-Gitea-Signature', signaturePrefix: '' });
    const input: VerifyInput = {
      rawBody: encoder.encode(body),
      headers,
      url: 'https://hub.example.com/webhooks/c_10/gitea',
      secrets: [{ value: secret }],
      now: signedAt,
      options: { signatureHeader: 'X-Gitea-Signature', signaturePrefix: '', eventIdHeader: 'X-Gitea-Delivery' },
    };
    expect(verifiers.github.verify({ ...input, headers: { ...headers, 'x-gitea-delivery': 'd-1' } })).toEqual({
      ok: true,
      secretIndex: 0,
      eventId: 'd-1',
    });
    expect(verifiers.github.signatureHeaders(input.options)).toContain('x-gitea-signature');
    expect(verifiers.github.verify({ ...input, options: {} })).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('refuse a header name that is not one', () => {
    expect(verifiers.github.optionsSchema.safeParse({ signatureHeader: 'x-sig: evil' }).success).toBe(false);
  });

  it('do not accept the legacy SHA-1 signature in place of SHA-256', () => {
    const sha1 = createHash('sha1').update(body).digest('hex');
    const input: VerifyInput = {
      rawBody: encoder.encode(body),
      headers: { 'x-hub-signature-256': `sha1=${sha1}` },
      url: 'https://hub.example.com/x',
      secrets: [{ value: secret }],
      now: signedAt,
    };
    expect(verifiers.github.verify(input)).toEqual({ ok: false, reason: 'malformed_signature' });
  });
});

describe('stripe signature header', () => {
  const body = '{"id":"evt_2","object":"event"}';
  const secret = 'whsec_stripe_current';
  const t = Math.floor(signedAt.getTime() / 1000);
  const base = { rawBody: encoder.encode(body), url: 'https://hub.example.com/s', secrets: [{ value: secret }], now: signedAt };

  it('accepts any one of several v1 signatures, as sent while Stripe rolls a secret', () => {
    const headers = signStripe({ secret: ['whsec_stripe_previous', secret], timestamp: signedAt, body });
    expect(verifiers.stripe.verify({ ...base, headers })).toMatchObject({ ok: true, secretIndex: 0, eventId: 'evt_2' });
  });

  it('ignores v0 and unknown schemes', () => {
    const { 'stripe-signature': signed = '' } = signStripe({ secret, timestamp: signedAt, body });
    const v1 = signed.split(',')[1] ?? '';
    const v0 = v1.replace('v1=', 'v0=');
    expect(verifiers.stripe.verify({ ...base, headers: { 'stripe-signature': `t=${t},${v0},v9=abc,${v1}` } }).ok).toBe(true);
    expect(verifiers.stripe.verify({ ...base, headers: { 'stripe-signature': `t=${t},${v0}` } })).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
  });

  it('needs the timestamp, as digits', () => {
    const { 'stripe-signature': signed = '' } = signStripe({ secret, timestamp: signedAt, body });
    const v1 = signed.split(',')[1] ?? '';
    expect(verifiers.stripe.verify({ ...base, headers: { 'stripe-signature': v1 } })).toEqual({ ok: false, reason: 'missing_timestamp' });
    expect(verifiers.stripe.verify({ ...base, headers: { 'stripe-signature': `t=1e9,${v1}` } })).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
  });

  it('keys the HMAC with the whsec_ secret as text, not base64-decoded', () => {
    const headers = signStripe({ secret, timestamp: signedAt, body });
    const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(headers['stripe-signature']).toBe(`t=${t},v1=${v1}`);
  });
});

describe('standard-webhooks header', () => {
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  const body = '{"a":1}';
  const base = { rawBody: encoder.encode(body), url: 'https://hub.example.com/s', secrets: [{ value: secret }], now: signedAt };

  it('accepts one valid signature among several, and skips other versions', () => {
    const headers = signStandardWebhook({ secret, id: 'msg_1', timestamp: signedAt, body });
    const many = `v1a,c29tZXRoaW5n v1,${Buffer.alloc(32).toString('base64')} ${headers['webhook-signature']}`;
    expect(verifiers['standard-webhooks'].verify({ ...base, headers: { ...headers, 'webhook-signature': many } }).ok).toBe(true);
  });

  it('needs webhook-id and webhook-timestamp', () => {
    const headers = signStandardWebhook({ secret, id: 'msg_1', timestamp: signedAt, body });
    const { 'webhook-id': _id, ...noId } = headers;
    const { 'webhook-timestamp': _ts, ...noTimestamp } = headers;
    expect(verifiers['standard-webhooks'].verify({ ...base, headers: noId })).toEqual({ ok: false, reason: 'bad_request' });
    expect(verifiers['standard-webhooks'].verify({ ...base, headers: noTimestamp })).toEqual({ ok: false, reason: 'missing_timestamp' });
  });

  it('binds the message id into the signature', () => {
    const headers = signStandardWebhook({ secret, id: 'msg_1', timestamp: signedAt, body });
    expect(verifiers['standard-webhooks'].verify({ ...base, headers: { ...headers, 'webhook-id': 'msg_2' } })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('skips a stored secret that is not base64 instead of failing the request', () => {
    const headers = signStandardWebhook({ secret, id: 'msg_1', timestamp: signedAt, body });
    const secrets = [{ value: 'whsec_not base64!' }, { value: secret }];
    expect(verifiers['standard-webhooks'].verify({ ...base, headers, secrets })).toMatchObject({ ok: true, secretIndex: 1 });
  });
});

describe('twilio request shapes', () => {
  const url = 'https://hub.example.com/webhooks/c_06/twilio';
  const authToken = 'twilio-auth-token';

  it('refuses a body that the signature does not cover', () => {
    const headers = { ...signTwilio({ authToken, url }), 'content-type': 'text/plain' };
    const input: VerifyInput = { rawBody: encoder.encode('hello'), headers, url, secrets: [{ value: authToken }], now: signedAt };
    expect(verifiers.twilio.verify(input)).toEqual({ ok: false, reason: 'bad_request' });
    expect(verifiers.twilio.verify({ ...input, rawBody: new Uint8Array() }).ok).toBe(true);
  });

  it('prefers the idempotency token header as the event id', () => {
    const body = 'MessageSid=SM1&MessageStatus=delivered';
    const headers = {
      ...signTwilio({ authToken, url, params: new URLSearchParams(body) }),
      'content-type': 'application/x-www-form-urlencoded',
      'i-twilio-idempotency-token': 'b8d4ee7e-5c5f-4f3c-9d0a-6b1c2e3f4a5b',
    };
    const input: VerifyInput = { rawBody: encoder.encode(body), headers, url, secrets: [{ value: authToken }], now: signedAt };
    expect(verifiers.twilio.verify(input)).toMatchObject({ ok: true, eventId: 'b8d4ee7e-5c5f-4f3c-9d0a-6b1c2e3f4a5b' });
  });

  it('refuses a URL that is not one', () => {
    const input: VerifyInput = {
      rawBody: new Uint8Array(),
      headers: signTwilio({ authToken, url }),
      url: 'not a url',
      secrets: [{ value: authToken }],
      now: signedAt,
    };
    expect(verifiers.twilio.verify(input)).toEqual({ ok: false, reason: 'bad_request' });
  });
});
