import { describe, expect, it } from 'vitest';
import { verifiers } from '../../webhooks/verifiers/index.ts';

const encoder = new TextEncoder();
const json = (value: unknown) => encoder.encode(JSON.stringify(value));

function whatsapp(values: unknown[]): Uint8Array {
  return json({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: values.map((value) => ({ field: 'messages', value })) }],
  });
}

describe('meta event id', () => {
  const eventId = (rawBody: Uint8Array) => verifiers.meta.eventId({ rawBody, headers: {} });

  it('is the message id of a single inbound message', () => {
    expect(eventId(whatsapp([{ messages: [{ id: 'wamid.A' }] }]))).toBe('wamid.A');
  });

  it('tells status updates for the same message apart', () => {
    const sent = eventId(whatsapp([{ statuses: [{ id: 'wamid.A', status: 'sent' }] }]));
    const delivered = eventId(whatsapp([{ statuses: [{ id: 'wamid.A', status: 'delivered' }] }]));
    expect(sent).toBe('wamid.A:sent');
    expect(delivered).toBe('wamid.A:delivered');
  });

  it('digests a batch regardless of order', () => {
    const a = eventId(whatsapp([{ messages: [{ id: 'wamid.A' }, { id: 'wamid.B' }] }]));
    const b = eventId(whatsapp([{ messages: [{ id: 'wamid.B' }] }, { messages: [{ id: 'wamid.A' }] }]));
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b).toBe(a);
  });

  it('is absent when the payload carries no ids, or is not JSON', () => {
    expect(eventId(whatsapp([{ contacts: [] }]))).toBeUndefined();
    expect(eventId(encoder.encode('not json'))).toBeUndefined();
    expect(eventId(json({ entry: 'x' }))).toBeUndefined();
  });
});

describe('intuit event id', () => {
  const eventId = (rawBody: Uint8Array) => verifiers.intuit.eventId({ rawBody, headers: {} });
  const legacy = (entities: unknown[], realmId = '9130351612343546') =>
    json({ eventNotifications: [{ realmId, dataChangeEvent: { entities } }] });
  const invoice = { name: 'Invoice', id: '130', operation: 'Update', lastUpdated: '2025-01-15T09:59:58.000Z' };
  const customer = { name: 'Customer', id: '58', operation: 'Create', lastUpdated: '2025-01-15T09:59:57.000Z' };

  it('derives a stable id from the legacy entity tuples, whatever their order', () => {
    const id = eventId(legacy([invoice, customer]));
    expect(id).toMatch(/^qbo:sha256:[0-9a-f]{64}$/);
    expect(eventId(legacy([customer, invoice]))).toBe(id);
  });

  it('changes when the entity changes again, or in another company', () => {
    const id = eventId(legacy([invoice]));
    expect(eventId(legacy([{ ...invoice, lastUpdated: '2025-01-15T10:05:00.000Z' }]))).not.toBe(id);
    expect(eventId(legacy([invoice], '4620816365037572030'))).not.toBe(id);
  });

  it('uses the CloudEvents ids of the newer format', () => {
    const event = (id: string) => ({ specversion: '1.0', id, source: 'intuit.abc', type: 'qbo.invoice.updated.v1', intuitentityid: '130' });
    expect(eventId(json([event('ce-1')]))).toBe('ce-1');
    expect(eventId(json([event('ce-1'), event('ce-2')]))).toBe(eventId(json([event('ce-2'), event('ce-1')])));
  });

  it('is absent for a payload without entities', () => {
    expect(eventId(json({ eventNotifications: [] }))).toBeUndefined();
    expect(eventId(json([]))).toBeUndefined();
  });
});

describe('twilio event id', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const eventId = (body: string, headers: Record<string, string> = form) =>
    verifiers.twilio.eventId({ rawBody: encoder.encode(body), headers });

  it('keys status callbacks by message and status', () => {
    expect(eventId('MessageSid=SM1&MessageStatus=sent')).toBe('SM1:sent');
    expect(eventId('MessageSid=SM1&MessageStatus=delivered')).toBe('SM1:delivered');
    expect(eventId('SmsSid=SM2&SmsStatus=received')).toBe('SM2:received');
    expect(eventId('MessageSid=SM3')).toBe('SM3');
  });

  it('prefers the idempotency token, and has nothing to go on otherwise', () => {
    expect(eventId('MessageSid=SM1', { ...form, 'I-Twilio-Idempotency-Token': 'tok-1' })).toBe('tok-1');
    expect(eventId('{"MessageSid":"SM1"}', { 'content-type': 'application/json' })).toBeUndefined();
    expect(eventId('Body=hi')).toBeUndefined();
  });
});

describe('body and header event ids', () => {
  it('stripe reads the event id from the body', () => {
    expect(verifiers.stripe.eventId({ rawBody: json({ id: 'evt_1', object: 'event' }), headers: {} })).toBe('evt_1');
    expect(verifiers.stripe.eventId({ rawBody: json({ id: 7 }), headers: {} })).toBeUndefined();
  });

  it('zoho-payments reads event_id from the body', () => {
    expect(verifiers['zoho-payments'].eventId({ rawBody: json({ event_id: '3000000012345' }), headers: {} })).toBe('3000000012345');
    expect(verifiers['zoho-payments'].eventId({ rawBody: json({}), headers: {} })).toBeUndefined();
  });

  it.each([
    ['github', 'X-GitHub-Delivery'],
    ['jira', 'X-Atlassian-Webhook-Identifier'],
    ['razorpay', 'X-Razorpay-Event-Id'],
    ['standard-webhooks', 'Webhook-Id'],
  ] as const)('%s reads %s', (scheme, header) => {
    expect(verifiers[scheme].eventId({ rawBody: new Uint8Array(), headers: { [header]: ' id-1 ' } })).toBe('id-1');
    expect(verifiers[scheme].eventId({ rawBody: new Uint8Array(), headers: {} })).toBeUndefined();
  });
});
