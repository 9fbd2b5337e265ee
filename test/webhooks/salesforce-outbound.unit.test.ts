import { describe, expect, it } from 'vitest';
import {
  buildSalesforceOutboundMessage,
  salesforceId18,
  salesforceOutboundAck,
  verifiers,
  type VerifyInput,
  type WebhookSecret,
} from '../../webhooks/verifiers/index.ts';
import { parseXml } from '../../webhooks/verifiers/parse-xml.ts';

const verifier = verifiers['salesforce-outbound'];
const encoder = new TextEncoder();
const now = new Date('2025-01-15T10:00:00.000Z');
const org18 = '00D7F00000107XsUAI';
const org15 = '00D7F00000107Xs';
const endpoint = 'https://hub.example.com/webhooks/c_11/salesforce';

const message = buildSalesforceOutboundMessage({
  organizationId: org18,
  actionId: '04k7F0000008V3hQAE',
  notifications: [
    {
      id: '04l7F000008aeAyQAI',
      sObjectType: 'Opportunity',
      fields: { Id: '0067F000003pmdWQAQ', Amount: 120000, StageName: 'Closed Won & Invoiced', NextStep: null },
    },
  ],
});

function request(overrides: Partial<VerifyInput> & { body?: string; token?: string | null } = {}): VerifyInput {
  const token = overrides.token === undefined ? 'sf-token-current' : overrides.token;
  return {
    rawBody: encoder.encode(overrides.body ?? message),
    headers: overrides.headers ?? { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
    url: overrides.url ?? (token === null ? endpoint : `${endpoint}?token=${encodeURIComponent(token)}`),
    secrets: overrides.secrets ?? [{ value: 'sf-token-current' }],
    now,
    options: overrides.options ?? { organizationId: org15 },
  };
}

describe('salesforce-outbound verifier', () => {
  it('accepts a message from the expected organisation with the shared token', () => {
    expect(verifier.verify(request())).toEqual({ ok: true, secretIndex: 0, eventId: '04l7F000008aeAyQAI' });
    expect(verifier.eventId(request())).toBe('04l7F000008aeAyQAI');
  });

  it('takes the token from a header when a proxy moved it out of the URL', () => {
    const input = request({ token: null, headers: { 'X-Hub-Token': 'sf-token-current' } });
    expect(verifier.verify(input)).toMatchObject({ ok: true, secretIndex: 0 });
  });

  it('matches the organisation in its 15- or 18-character form', () => {
    for (const configured of [org15, org18]) {
      expect(verifier.verify(request({ options: { organizationId: configured } })).ok).toBe(true);
    }
    const sent15 = message.replace(`<OrganizationId>${org18}</OrganizationId>`, `<OrganizationId>${org15}</OrganizationId>`);
    expect(verifier.verify(request({ body: sent15, options: { organizationId: org18 } })).ok).toBe(true);
  });

  it('rejects another organisation, including one that differs only in letter case', () => {
    const other = message.replace(org18, salesforceId18('00D5g000000ABCD') ?? '');
    expect(verifier.verify(request({ body: other }))).toEqual({ ok: false, reason: 'bad_signature' });
    const recased = message.replace(`<OrganizationId>${org18}`, `<OrganizationId>${org15.toLowerCase()}`);
    expect(verifier.verify(request({ body: recased }))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects an 18-character organisation id whose checksum does not match', () => {
    const broken = message.replace(org18, `${org15}AAA`);
    expect(verifier.verify(request({ body: broken }))).toEqual({ ok: false, reason: 'bad_request' });
  });

  it('rejects a wrong token and reports a missing one', () => {
    expect(verifier.verify(request({ token: 'guess' }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifier.verify(request({ token: null }))).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('rotates tokens: old and new both work during the overlap, an expired one does not', () => {
    const overlap: WebhookSecret[] = [{ value: 'sf-token-old', notAfter: new Date(now.getTime() + 60_000) }, { value: 'sf-token-new' }];
    expect(verifier.verify(request({ token: 'sf-token-old', secrets: overlap }))).toMatchObject({ ok: true, secretIndex: 0 });
    expect(verifier.verify(request({ token: 'sf-token-new', secrets: overlap }))).toMatchObject({ ok: true, secretIndex: 1 });
    const expired: WebhookSecret[] = [{ value: 'sf-token-old', notAfter: new Date(now.getTime() - 1) }, { value: 'sf-token-new' }];
    expect(verifier.verify(request({ token: 'sf-token-old', secrets: expired }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifier.verify(request({ token: 'sf-token-old', secrets: expired.slice(0, 1) }))).toEqual({
      ok: false,
      reason: 'no_active_secret',
    });
  });

  it('without any configured token, relies on the organisation alone', () => {
    expect(verifier.verify(request({ token: null, secrets: [] }))).toEqual({ ok: true, eventId: '04l7F000008aeAyQAI' });
  });

  it('refuses to run without a valid organisation id option', () => {
    expect(verifier.verify(request({ options: {} }))).toEqual({ ok: false, reason: 'misconfigured' });
    expect(verifier.verify(request({ options: { organizationId: 'not-an-id' } }))).toEqual({ ok: false, reason: 'misconfigured' });
    expect(verifier.optionsSchema.safeParse({ organizationId: org18 }).success).toBe(true);
  });

  it.each([
    ['not XML', 'hello'],
    ['a JSON body', '{"OrganizationId":"00D7F00000107XsUAI"}'],
    ['a DOCTYPE, which could define entities', `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>${message.slice(message.indexOf('<soapenv:Envelope'))}`],
    ['mismatched tags', message.replace('</notifications>', '</notification>')],
    ['an unclosed element', message.replace('</soapenv:Envelope>', '')],
    ['an unknown entity', message.replace('Closed Won &amp; Invoiced', 'Closed Won &nbsp; Invoiced')],
    ['a second root', `${message}<x/>`],
    ['two organisation ids', message.replace('<ActionId>', `<OrganizationId>${org18}</OrganizationId><ActionId>`)],
    ['no notifications element', message.replace(/notifications/g, 'notes')],
  ])('rejects %s as a bad request', (_label, body) => {
    expect(verifier.verify(request({ body }))).toEqual({ ok: false, reason: 'bad_request' });
  });

  it('rejects a body that is not UTF-8 as a bad request', () => {
    expect(verifier.verify({ ...request(), rawBody: new Uint8Array([0xc3, 0x28]) })).toEqual({ ok: false, reason: 'bad_request' });
  });

  it('reads a message exactly as captured from Salesforce', () => {
    // Source: a captured outbound message published in a public repository's test fixture.
    const captured =
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>00D7F00000107XsUAI</OrganizationId><ActionId>04k7F0000008V3hQAE</ActionId><SessionId xsi:nil="true"/><EnterpriseUrl>https://ap5.salesforce.com/services/Soap/c/47.0/00D7F00000107Xs</EnterpriseUrl><PartnerUrl>https://ap5.salesforce.com/services/Soap/u/47.0/00D7F00000107Xs</PartnerUrl><Notification><Id>04l7F000008aeAyQAI</Id><sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>0067F000003pmdWQAQ</sf:Id><sf:AccountId>0017F000007ydJmQAI</sf:AccountId><sf:Amount>120000.0</sf:Amount><sf:CloseDate>2017-04-03</sf:CloseDate><sf:LeadSource>Phone Inquiry</sf:LeadSource><sf:Name>Express Logistics SLA</sf:Name><sf:StageName>Perception Analysis</sf:StageName></sObject></Notification></notifications></soapenv:Body></soapenv:Envelope>';
    expect(verifier.verify(request({ body: captured }))).toEqual({ ok: true, secretIndex: 0, eventId: '04l7F000008aeAyQAI' });
  });

  it('tolerates comments, whitespace, CDATA and quoted ">" in attributes', () => {
    const pretty = message
      .replace('<soapenv:Body>', '\n <!-- relayed --> <soapenv:Body attr="a>b">\n  ')
      .replace('<Id>04l7F000008aeAyQAI</Id>', '<Id>\n   <![CDATA[04l7F000008aeAyQAI]]>\n  </Id>');
    expect(verifier.verify(request({ body: pretty }))).toMatchObject({ ok: true, eventId: '04l7F000008aeAyQAI' });
  });

  it('dedupes on the notification ids, not the record ids inside them, in any order', () => {
    const notifications = [
      { id: '04l7F000008aeAyQAI', sObjectType: 'Opportunity', fields: { Id: '0067F000003pmdWQAQ' } },
      { id: '04l7F000008aeAzQAI', sObjectType: 'Opportunity', fields: { Id: '0067F000003pmdXQAQ' } },
    ];
    const forward = buildSalesforceOutboundMessage({ organizationId: org18, actionId: '04k7F0000008V3hQAE', notifications });
    const backward = buildSalesforceOutboundMessage({
      organizationId: org18,
      actionId: '04k7F0000008V3hQAE',
      notifications: [...notifications].reverse(),
    });
    const id = verifier.eventId({ rawBody: encoder.encode(forward), headers: {} });
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(verifier.eventId({ rawBody: encoder.encode(backward), headers: {} })).toBe(id);
  });

  it('marks the token query parameter and header as secrets for storage', () => {
    expect(verifier.secretQueryParams).toContain('token');
    expect(verifier.signatureHeaders()).toContain('x-hub-token');
  });
});

describe('salesforceOutboundAck', () => {
  it('is the notificationsResponse envelope Salesforce expects', () => {
    for (const ok of [true, false]) {
      const root = parseXml(salesforceOutboundAck(ok));
      expect(root?.name).toBe('Envelope');
      const response = root?.children[0]?.children[0];
      expect(response?.name).toBe('notificationsResponse');
      expect(response?.children[0]).toMatchObject({ name: 'Ack', text: String(ok) });
    }
    expect(salesforceOutboundAck(true)).toContain('xmlns="http://soap.sforce.com/2005/09/outbound"');
  });
});
