import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSalesforceOutboundMessage,
  salesforceId18,
  signGithub,
  signIntuit,
  signJira,
  signMeta,
  signRazorpay,
  signStandardWebhook,
  signStripe,
  signTwilio,
  signZohoPayments,
  type SchemeId,
} from '../../webhooks/verifiers/index.ts';
import { hookFixture, problemShape, PUBLIC_URL, randomSecret } from './hook-fixture.ts';

const ORG = '00D7F00000107XsUAI';
const OTHER_ORG = salesforceId18('00D5g000000ABCD') ?? '';

interface Signed {
  headers: Record<string, string>;
  query?: string;
}

interface SchemeCase {
  scheme: SchemeId;
  config?: Record<string, unknown>;
  secret: () => string;
  contentType: string;
  body: (n: number) => string;
  tamper: (body: string) => string;
  sign: (input: { secret: string; body: string; at: Date; url: string; n: number }) => Signed;
  /** The header (or, for Salesforce, query) that carries the credential. */
  drop: (signed: Signed) => Signed;
  timestamped: boolean;
  accepted: number;
}

const json = (n: number) => JSON.stringify({ id: `evt_${n}`, event_id: `evt_${n}`, type: 'payment.captured', amount: 100 });
const tamperJson = (body: string) => body.replace('"amount":100', '"amount":999');
const without = (name: string) => (s: Signed): Signed => ({ ...s, headers: Object.fromEntries(Object.entries(s.headers).filter(([k]) => k !== name)) });

const CASES: SchemeCase[] = [
  {
    scheme: 'standard-webhooks',
    secret: () => randomSecret('whsec_'),
    contentType: 'application/json',
    body: json,
    tamper: tamperJson,
    sign: ({ secret, body, at, n }) => ({ headers: signStandardWebhook({ secret, id: `msg_${n}`, timestamp: at, body }) }),
    drop: without('webhook-signature'),
    timestamped: true,
    accepted: 202,
  },
  {
    scheme: 'github',
    config: { signatureHeader: 'X-Acme-Signature' },
    secret: () => randomSecret(),
    contentType: 'application/json',
    body: json,
    tamper: tamperJson,
    sign: ({ secret, body, n }) => ({ headers: signGithub({ secret, body, deliveryId: `dlv-${n}`, signatureHeader: 'x-acme-signature' }) }),
    drop: without('x-acme-signature'),
    timestamped: false,
    accepted: 202,
  },
  {
    scheme: 'jira',
    secret: () => randomSecret(),
    contentType: 'application/json',
    body: json,
    tamper: tamperJson,
    sign: ({ secret, body, n }) => ({ headers: signJira({ secret, body, identifier: `jira-${n}` }) }),
    drop: without('x-hub-signature'),
    timestamped: false,
    accepted: 202,
  },
  {
    scheme: 'meta',
    secret: () => randomSecret(),
    contentType: 'application/json',
    body: json,
    tamper: tamperJson,
    sign: ({ secret, body }) => ({ headers: signMeta({ appSecret: secret, body }) }),
    drop: without('x-hub-signature-256'),
    timestamped: false,
    accepted: 202,
  },
  {
    scheme: 'intuit',
    secret: () => randomSecret(),
    contentType: 'application/json',
    body: json,
    tamper: tamperJson,
    sign: ({ secret, body }) => ({ headers: signIntuit({ verifierToken: secret, body }) }),
    drop: without('intuit-signature'),
    timestamped: false,
    accepted: 202,
  },
  {
    scheme: 'twilio',
    secret: () => randomSecret(),
    contentType: 'application/x-www-form-urlencoded',
    body: (n) => new URLSearchParams({ MessageSid: `SM${n}`, From: '+919800000001', Body: 'hello' }).toString(),
    tamper: (body) => body.replace('hello', 'hellO'),
    sign: ({ secret, body, url }) => ({ headers: signTwilio({ authToken: secret, url, params: new URLSearchParams(body) }) }),
    drop: without('x-twilio-signature'),
    timestamped: false,
    accepted: 202,
  },
  {
    scheme: 'razorpay',
    secret: () => randomSecret(),
    contentType: 'application/json',
    body: json,
    tamper: tamperJson,
    sign: ({ secret, body, n }) => ({ headers: signRazorpay({ secret, body, eventId: `rzp_evt_${n}` }) }),
    drop: without('x-razorpay-signature'),
    timestamped: false,
    accepted: 202,
  },
  {
    scheme: 'stripe',
    secret: () => randomSecret('whsec_'),
    contentType: 'application/json',
    body: json,
    tamper: tamperJson,
    sign: ({ secret, body, at }) => ({ headers: signStripe({ secret, timestamp: at, body }) }),
    drop: without('stripe-signature'),
    timestamped: true,
    accepted: 202,
  },
  {
    scheme: 'zoho-payments',
    secret: () => randomSecret(),
    contentType: 'application/json',
    body: json,
    tamper: tamperJson,
    sign: ({ secret, body, at }) => ({ headers: signZohoPayments({ secret, timestamp: at, body }) }),
    drop: without('x-zoho-webhook-signature'),
    timestamped: true,
    accepted: 202,
  },
  {
    scheme: 'salesforce-outbound',
    config: { options: { organizationId: ORG } },
    secret: () => randomSecret().replace(/[+/=]/g, 'x'),
    contentType: 'text/xml; charset=utf-8',
    body: (n) =>
      buildSalesforceOutboundMessage({
        organizationId: ORG,
        actionId: '04k5g000000ABCDAAA',
        notifications: [{ id: `04l5g00000${String(n).padStart(5, '0')}`, sObjectType: 'Opportunity', fields: { Id: '0065g00000ABCDE', StageName: 'Closed Won' } }],
      }),
    tamper: (body) => body.replace(ORG, OTHER_ORG),
    sign: ({ secret }) => ({ headers: {}, query: `?token=${encodeURIComponent(secret)}` }),
    drop: (s) => ({ ...s, query: '' }),
    timestamped: false,
    accepted: 200,
  },
];

const fx = hookFixture('hook-schemes');
let tenantId = '';
let counter = 0;
const unauthorizedBodies: Record<string, unknown>[] = [];

beforeAll(async () => {
  tenantId = (await fx.tenant('schemes')).id;
});
afterAll(async () => {
  await fx.close();
});

async function send(c: SchemeCase, connectionId: string, secret: string, options: { at?: Date; tamper?: boolean; drop?: boolean } = {}) {
  counter += 1;
  const body = c.body(counter);
  const path = `/v1/hooks/${connectionId}`;
  const probe = c.sign({ secret, body, at: options.at ?? new Date(), url: `${PUBLIC_URL}${path}`, n: counter });
  const url = `${PUBLIC_URL}${path}${probe.query ?? ''}`;
  let signed = c.sign({ secret, body, at: options.at ?? new Date(), url, n: counter });
  if (options.drop) signed = c.drop(signed);
  return fx.post(connectionId, options.tamper ? c.tamper(body) : body, { 'content-type': c.contentType, ...signed.headers }, signed.query ?? '');
}

async function expectUnauthorized(res: Response, label: string) {
  expect(res.status, label).toBe(401);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  unauthorizedBodies.push(await problemShape(res));
}

describe.each(CASES)('$scheme through POST /v1/hooks/{connectionId}', (c) => {
  let connectionId = '';
  let secret = '';

  beforeAll(async () => {
    secret = c.secret();
    connectionId = await fx.connection(tenantId, { config: { scheme: c.scheme, ...(c.config ?? {}) }, secrets: [{ value: secret }] });
  });

  it('accepts a valid request, stores the envelope without its signature and queues it under the envelope id', async () => {
    const res = await send(c, connectionId, secret);
    expect(res.status).toBe(c.accepted);
    let eventId: string;
    if (c.scheme === 'salesforce-outbound') {
      expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(await res.text()).toContain('<Ack>true</Ack>');
      const [stored] = await fx.envelopes(tenantId).find({ connectionId });
      eventId = stored!._id;
      expect(stored!.url).toBe(`${PUBLIC_URL}/v1/hooks/${connectionId}`);
    } else {
      eventId = ((await res.json()) as { eventId: string }).eventId;
    }
    const envelope = await fx.envelope(tenantId, eventId);
    expect(envelope).toMatchObject({ connectionId, scheme: c.scheme, status: 'received', jobId: eventId, verification: { ok: true, secretId: 'sec_1' } });
    const names = envelope.headers.map((h) => h.name);
    for (const dropped of ['webhook-signature', 'x-acme-signature', 'x-hub-signature', 'x-hub-signature-256', 'intuit-signature', 'x-twilio-signature', 'x-razorpay-signature', 'stripe-signature', 'x-zoho-webhook-signature']) {
      expect(names).not.toContain(dropped);
    }
    expect(Buffer.from(envelope.body, 'base64').toString('utf8')).toBe(c.body(counter));
    expect(await fx.jobIds()).toContain(eventId);
  });

  it('refuses a tampered body, a wrong secret and a missing signature with the same 401', async () => {
    await expectUnauthorized(await send(c, connectionId, secret, { tamper: true }), 'tampered');
    await expectUnauthorized(await send(c, connectionId, c.secret()), 'wrong secret');
    await expectUnauthorized(await send(c, connectionId, secret, { drop: true }), 'missing signature');
  });

  it('accepts the old and the new secret while both are active, and refuses an expired one', async () => {
    const oldSecret = c.secret();
    const newSecret = c.secret();
    const expired = c.secret();
    const rotating = await fx.connection(tenantId, {
      config: { scheme: c.scheme, ...(c.config ?? {}) },
      secrets: [
        { id: 'sec_old', value: oldSecret, notAfter: new Date(Date.now() + 3600_000) },
        { id: 'sec_new', value: newSecret },
        { id: 'sec_expired', value: expired, notAfter: new Date(Date.now() - 60_000) },
      ],
    });
    const viaOld = await send(c, rotating, oldSecret);
    expect(viaOld.status).toBe(c.accepted);
    const viaNew = await send(c, rotating, newSecret);
    expect(viaNew.status).toBe(c.accepted);
    await expectUnauthorized(await send(c, rotating, expired), 'expired secret');
    const stored = await fx.envelopes(tenantId).find({ connectionId: rotating }, { sort: { receivedAt: 1 } });
    expect(stored.map((e) => e.verification.secretId)).toEqual(['sec_old', 'sec_new']);
  });

  if (c.timestamped) {
    it('refuses stale and future timestamps', async () => {
      await expectUnauthorized(await send(c, connectionId, secret, { at: new Date(Date.now() - 10 * 60_000) }), 'stale');
      await expectUnauthorized(await send(c, connectionId, secret, { at: new Date(Date.now() + 10 * 60_000) }), 'future');
    });
  }
});

describe('refusals', () => {
  it('answer every failed verification with one and the same body', () => {
    expect(unauthorizedBodies.length).toBeGreaterThan(CASES.length * 4);
    for (const body of unauthorizedBodies) expect(body).toEqual(unauthorizedBodies[0]);
    expect(unauthorizedBodies[0]).toMatchObject({ status: 401, code: 'unauthorized', detail: 'The webhook signature could not be verified' });
  });
});
