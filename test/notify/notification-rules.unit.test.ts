import { describe, expect, it } from 'vitest';
import { RateLimitedError, TransientVendorError, UnrecoverableVendorError } from '../../connectors/index.ts';
import { flattenValues, isStopRequest, nestValues, notificationDeliveryUpdate, type NotificationDoc } from '../../core/notifications/index.ts';
import { createNedbStore, createStore } from '../../core/store/index.ts';
import { maskAddress, optOutsFor, recordAddressOptOut } from '../../queues/notify/index.ts';
import { buildOutboundMessage } from '../../queues/notify/build-outbound-message.ts';
import { deliveryErrorOf } from '../../queues/notify/delivery-error-of.ts';

const at = (iso: string) => new Date(iso);
type Delivery = Pick<NotificationDoc, 'status' | 'queuedAt' | 'sentAt' | 'deliveredAt' | 'readAt' | 'failedAt' | 'error'>;

describe('stored values', () => {
  it('nests dotted names for the store and flattens them back, dates and variables included', () => {
    const values = { 'milestone.title': 'Slab', 'project.name': 'Sharma', amount: 12_50_000_00, dueDate: '2026-03-15', newDueDate: at('2026-03-20T00:00:00Z'), variables: { site: 'Pune' } };
    const nested = nestValues(values);
    expect(nested).toEqual({ milestone: { title: 'Slab' }, project: { name: 'Sharma' }, amount: 12_50_000_00, dueDate: '2026-03-15', newDueDate: values.newDueDate, variables: [{ name: 'site', value: 'Pune' }] });
    expect(JSON.stringify(Object.keys(nested))).not.toContain('.');
    expect(flattenValues(nested)).toEqual(values);
    // A date that went through JSON comes back as a Date; a calendar date stays a string.
    expect(flattenValues(JSON.parse(JSON.stringify(nested)) as Record<string, unknown>).newDueDate).toEqual(values.newDueDate);
  });
});

describe('delivery reports on a notification', () => {
  const sent: Delivery = { status: 'sent', queuedAt: at('2026-03-03T05:30:00Z'), sentAt: at('2026-03-03T05:30:01Z') };

  it('moves forward and never back: delivered after read only fills in deliveredAt', () => {
    const read = notificationDeliveryUpdate(sent, { status: 'read', at: at('2026-03-03T05:40:00Z') })!;
    expect(read).toMatchObject({ status: 'read', readAt: at('2026-03-03T05:40:00Z'), deliveredAt: at('2026-03-03T05:40:00Z') });
    const late = notificationDeliveryUpdate({ ...sent, ...read }, { status: 'delivered', at: at('2026-03-03T05:35:00Z') })!;
    expect(late).toMatchObject({ status: 'read', deliveredAt: at('2026-03-03T05:35:00Z') });
    expect(notificationDeliveryUpdate({ ...sent, ...read }, { status: 'sent', at: at('2026-03-03T05:50:00Z') })).toBeNull();
    expect(notificationDeliveryUpdate({ ...sent, ...read }, { status: 'failed', at: at('2026-03-03T05:50:00Z'), error: { code: '131026', permanent: true } })).toBeNull();
  });

  it('does not revive an opted-out or cancelled notification, and keeps a deferred one deferred', () => {
    expect(notificationDeliveryUpdate({ ...sent, status: 'opted_out' }, { status: 'delivered', at: at('2026-03-03T06:00:00Z') })).toBeNull();
    expect(notificationDeliveryUpdate({ ...sent, status: 'cancelled' }, { status: 'read', at: at('2026-03-03T06:00:00Z') })).toBeNull();
    const deferred: Delivery = { status: 'deferred', queuedAt: at('2026-03-03T05:30:00Z') };
    expect(notificationDeliveryUpdate(deferred, { status: 'queued', at: at('2026-03-03T05:20:00Z') })).toMatchObject({ status: 'deferred' });
  });

  it('records a failure before delivery, and lets a later delivered report win over it', () => {
    const failed = notificationDeliveryUpdate(sent, { status: 'failed', at: at('2026-03-03T05:31:00Z'), error: { code: '30005', permanent: true } })!;
    expect(failed).toMatchObject({ status: 'failed', error: { code: '30005' } });
    expect(notificationDeliveryUpdate({ ...sent, ...failed }, { status: 'delivered', at: at('2026-03-03T05:32:00Z') })).toMatchObject({ status: 'delivered' });
  });
});

describe('send failures', () => {
  it('retries rate limits and transient faults on the channel, and moves on from refusals', () => {
    expect(deliveryErrorOf(new RateLimitedError(2000), 'twilio')).toMatchObject({ code: 'rate_limited', permanent: false, retryAfterMs: 2000 });
    expect(deliveryErrorOf(new TransientVendorError('smtp: 421', { status: 421 }), 'email')).toMatchObject({ permanent: false });
    expect(deliveryErrorOf(new UnrecoverableVendorError(400, '{"code":21211}'), 'twilio')).toMatchObject({ permanent: true });
    expect(deliveryErrorOf(new Error('socket hang up'), 'email')).toMatchObject({ code: 'error', permanent: false });
  });

  it("reads Twilio's 21610 as the number having texted STOP", () => {
    expect(deliveryErrorOf(new UnrecoverableVendorError(400, '{"code":21610,"message":"Attempt to send to unsubscribed recipient"}'), 'twilio')).toMatchObject({ code: '21610', permanent: true, optOut: true });
    expect(deliveryErrorOf(new UnrecoverableVendorError(400, '21610'), 'msg91').optOut).toBeUndefined();
  });
});

describe('outbound messages per channel', () => {
  const whatsapp = { channel: 'whatsapp' as const, text: 'Hi', template: { name: 'hub_status_probe', language: { code: 'hi' }, components: [{ type: 'body', parameters: [{ type: 'text' as const, text: 'A' }, { type: 'text' as const, text: 'B' }] }] } };

  it('starts a WhatsApp Cloud conversation with the approved template, but answers a reply as text', () => {
    expect(buildOutboundMessage({ doc: {}, rendered: whatsapp, connector: 'whatsapp-cloud', to: '+919876543210', idempotencyKey: 'k:1' })).toEqual({ to: '+919876543210', idempotencyKey: 'k:1', text: 'Hi', template: { name: 'hub_status_probe', language: 'hi', parameters: ['A', 'B'] } });
    expect(buildOutboundMessage({ doc: { inReplyTo: 'wamid.X' }, rendered: whatsapp, connector: 'whatsapp-cloud', to: '+919876543210', idempotencyKey: 'k:2' })).toEqual({ to: '+919876543210', idempotencyKey: 'k:2', text: 'Hi', inReplyTo: 'wamid.X' });
    expect(buildOutboundMessage({ doc: {}, rendered: whatsapp, connector: 'whatsapp-web', to: '+919876543210', idempotencyKey: 'k:3' })).not.toHaveProperty('template');
  });

  it('threads email replies on a Message-ID only, and carries attachments and the probe token', () => {
    const email = { channel: 'email' as const, subject: 'S', text: 'T', html: '<p>T</p>' };
    const built = buildOutboundMessage({ doc: { inReplyTo: '<a1@mail.example.in>', probeId: 'prb_1', attachments: [{ filename: 'INV-42.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.7').toString('base64') }] }, rendered: email, connector: 'email', to: 'a@b.in', idempotencyKey: 'k:1' });
    expect(built).toMatchObject({ subject: 'S', html: '<p>T</p>', inReplyTo: '<a1@mail.example.in>', probeToken: 'prb_1' });
    expect(Buffer.from((built['attachments'] as Array<{ content: Uint8Array }>)[0]!.content).toString()).toBe('%PDF-1.7');
    expect(buildOutboundMessage({ doc: { inReplyTo: 'wamid.X' }, rendered: email, connector: 'email', to: 'a@b.in', idempotencyKey: 'k:2' })).not.toHaveProperty('inReplyTo');
  });
});

describe('opt-outs', () => {
  it('stops the channels of an address, all of them for a STOP to everything, and nothing in another tenant', async () => {
    const store = createStore(createNedbStore({ dir: '', inMemory: true }));
    const db = store.forTenant('tn_a');
    await recordAddressOptOut(db, { channel: 'sms', address: '98765 43210', source: 'provider', at: new Date() });
    expect(await optOutsFor(db, { addresses: { sms: '+919876543210', whatsapp: '+919876543210', email: 'a@b.in' } })).toEqual({ all: false, channels: ['sms'] });
    await recordAddressOptOut(db, { channel: 'whatsapp', address: '+919876543210', all: true, source: 'reply', at: new Date() });
    expect((await optOutsFor(db, { addresses: { sms: '+919876543210', whatsapp: '+919876543210', email: 'a@b.in' } })).channels.sort()).toEqual(['sms', 'whatsapp']);
    expect(await optOutsFor(store.forTenant('tn_b'), { addresses: { sms: '+919876543210' } })).toEqual({ all: false, channels: [] });
    await store.close();
  });

  it('knows STOP words in English and Hindi, and nothing else', () => {
    for (const text of ['STOP', ' stop. ', 'Unsubscribe', 'opt out', 'बंद']) expect(isStopRequest(text)).toBe(true);
    for (const text of ['stop the work, we are delayed', '2', 'done']) expect(isStopRequest(text)).toBe(false);
  });

  it('masks addresses in lists', () => {
    expect(maskAddress('asha@example.in')).toBe('as***@example.in');
    expect(maskAddress('+919876543210')).toBe('+9198******10');
  });
});
