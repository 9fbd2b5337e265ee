import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundMessagesCollection, notificationsCollection } from '../../core/notifications/index.ts';
import { requestNotification, type InboundMessageEvent, type NotificationRequest } from '../../queues/notify/index.ts';
import { startTwilioFake, type TwilioFake } from '../fakes/twilio/index.ts';
import { startWhatsAppCloudFake, type WhatsAppCloudFake } from '../fakes/whatsapp-cloud/index.ts';
import { expectStatus, notifyFixture, waitFor } from './notify-fixture.ts';

let wa: WhatsAppCloudFake;
let twilio: TwilioFake;
let hub: Awaited<ReturnType<typeof notifyFixture>>;
const heard: InboundMessageEvent[] = [];

const PROBE_VARS = { 'milestone.title': 'Slab casting', 'project.name': 'Sharma Residency', 'owner.name': 'Asha', dueDate: '2026-03-15', replyOptions: 'Reply 1 on track, 2 delayed, 3 done', probeRef: '#P7K2M' };

beforeAll(async () => {
  wa = await startWhatsAppCloudFake({ templates: [{ name: 'hub_status_probe', language: 'en', bodyParameters: 6 }], now: () => new Date() });
  twilio = await startTwilioFake();
  // Real time: stored webhook envelopes expire by the wall clock, so this file does not move time.
  hub = await notifyFixture('callbacks', {
    listeners: [
      {
        name: 'probe-replies',
        async onInboundMessage(message) {
          heard.push(message);
          return { status: 'handled', note: 'seen' };
        },
      },
    ],
  });
});
afterAll(async () => {
  await hub.close();
  await twilio.close();
  await wa.close();
});

async function tenantWith(slug: string) {
  const t = await hub.tenant(slug);
  // No quiet hours, so the run does not depend on the hour it happens at.
  await expectStatus(t.call('PUT', '/v1/notification-settings', { delivery: { quietHours: null } }), 200);
  const send = async (request: Omit<NotificationRequest, 'tenantId'>) => {
    const result = await requestNotification({ store: hub.services.store, queues: hub.queues, now: hub.now }, { ...request, tenantId: t.id });
    if (!result.ok) throw new Error(result.error.message);
    return result.value.notificationId;
  };
  return { ...t, send };
}

describe('WhatsApp Cloud statuses and replies through the signed /v1/hooks pipeline', () => {
  it('moves a notification sent → delivered → read, never back, and hands the reply to listeners', async () => {
    const t = await tenantWith('wa');
    const conn = await t.connection({
      connector: 'whatsapp-cloud',
      config: { baseUrl: wa.url, apiVersion: 'v21.0', phoneNumberId: wa.business.phoneNumberId },
      credentials: { accessToken: wa.accessToken, appSecret: wa.appSecret },
      webhook: { secrets: [wa.appSecret] },
    });
    wa.setWebhookUrl(`${hub.publicUrl}/v1/hooks/${conn}`);
    const owner = await t.person({ name: 'Asha Rao', whatsapp: '+91 98765 43210', channels: ['whatsapp'] });
    const id = await t.send({ dedupeKey: 'wa:1', purpose: 'probe', recipient: { personId: owner }, templateKey: 'probe.status', vars: PROBE_VARS, milestoneId: 'ms_wa', probeId: 'prb_wa' });
    const sent = await t.settled(id, ['sent', 'failed']);
    expect(sent.status).toBe('sent');
    const request = wa.sent.find((m) => m.id === sent.providerMessageId)!;
    expect(request.body).toMatchObject({ type: 'template', to: '919876543210', biz_opaque_callback_data: `${id}:1`, template: { name: 'hub_status_probe', language: { code: 'en' } } });

    expect((await wa.simulateStatus({ messageId: sent.providerMessageId!, status: 'delivered' })).status).toBe(202);
    await t.settled(id, ['delivered']);
    expect((await wa.simulateStatus({ messageId: sent.providerMessageId!, status: 'read' })).status).toBe(202);
    const read = await t.settled(id, ['read']);
    expect(read.readAt).toBeInstanceOf(Date);
    // A redelivered report is answered as a duplicate and changes nothing.
    expect([200, 202]).toContain((await wa.simulateStatus({ messageId: sent.providerMessageId!, status: 'delivered' })).status);
    await new Promise((r) => setTimeout(r, 300));
    expect((await t.notification(id)).status).toBe('read');

    const { messageId } = await wa.simulateInbound({ from: '919876543210', content: { type: 'text', body: '2 delayed, steel is late' }, replyTo: sent.providerMessageId! });
    const reply = await waitFor(() => heard.find((m) => m.providerMessageId === messageId), 10_000, 'reply heard');
    expect(reply).toMatchObject({
      tenantId: t.id,
      channel: 'whatsapp',
      connectionId: conn,
      from: '+919876543210',
      personId: owner,
      text: '2 delayed, steel is late',
      notificationId: id,
      matchedBy: 'in_reply_to',
      probeId: 'prb_wa',
      milestoneId: 'ms_wa',
    });
    const stored = await waitFor(async () => {
      const doc = await t.db.collection(inboundMessagesCollection).findById(reply.id);
      return doc?.dispatchedAt ? doc : undefined;
    });
    expect(stored.handledBy).toBe('probe-replies');
  });

  it('keeps read when a delivered report arrives after it', async () => {
    const t = await tenantWith('wa-order');
    const conn = await t.connection({
      connector: 'whatsapp-cloud',
      config: { baseUrl: wa.url, apiVersion: 'v21.0', phoneNumberId: wa.business.phoneNumberId },
      credentials: { accessToken: wa.accessToken, appSecret: wa.appSecret },
      webhook: { secrets: [wa.appSecret] },
    });
    wa.setWebhookUrl(`${hub.publicUrl}/v1/hooks/${conn}`);
    const owner = await t.person({ name: 'Nikhil', whatsapp: '+91 98765 43299', channels: ['whatsapp'] });
    const id = await t.send({ dedupeKey: 'wa:order', purpose: 'probe', recipient: { personId: owner }, templateKey: 'probe.status', vars: PROBE_VARS });
    const sent = await t.settled(id, ['sent', 'failed']);
    expect((await wa.simulateStatus({ messageId: sent.providerMessageId!, status: 'read' })).status).toBe(202);
    await t.settled(id, ['read']);
    expect((await wa.simulateStatus({ messageId: sent.providerMessageId!, status: 'delivered' })).status).toBe(202);
    const after = await waitFor(async () => {
      const doc = await t.notification(id);
      return doc.deliveredAt !== undefined ? doc : undefined;
    });
    expect(after.status).toBe('read');
    expect(after.deliveredAt!.getTime()).toBeLessThanOrEqual(after.readAt!.getTime());
  });

  it('refuses a webhook signed with the wrong secret and changes nothing', async () => {
    const t = await tenantWith('wa-bad');
    const conn = await t.connection({
      connector: 'whatsapp-cloud',
      config: { baseUrl: wa.url, apiVersion: 'v21.0', phoneNumberId: wa.business.phoneNumberId },
      credentials: { accessToken: wa.accessToken, appSecret: wa.appSecret },
      webhook: { secrets: ['a-different-app-secret'] },
    });
    wa.setWebhookUrl(`${hub.publicUrl}/v1/hooks/${conn}`);
    const { delivery } = await wa.simulateInbound({ from: '919876500000', content: { type: 'text', body: '3 done' } });
    expect(delivery.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await t.db.collection(inboundMessagesCollection).count({})).toBe(0);
    expect(await t.db.collection(notificationsCollection).count({})).toBe(0);
  });
});

describe('Twilio status callbacks and inbound SMS', () => {
  it('applies signed status callbacks and records STOP as an opt-out', async () => {
    const t = await tenantWith('twilio');
    const conn = await t.connection({
      connector: 'twilio',
      config: { baseUrl: twilio.url, accountSid: twilio.accountSid, from: '+14155550100' },
      credentials: { authToken: twilio.authToken },
      webhook: { secrets: [twilio.authToken] },
    });
    const hookUrl = `${hub.publicUrl}/v1/hooks/${conn}`;
    await expectStatus(t.call('PATCH', `/v1/connections/${conn}`, { config: { baseUrl: twilio.url, accountSid: twilio.accountSid, from: '+14155550100', statusCallbackUrl: hookUrl } }), 200);
    const owner = await t.person({ name: 'Ravi', phone: '+91 98765 55555', channels: ['sms'] });
    const id = await t.send({ dedupeKey: 'sms:1', purpose: 'probe', recipient: { personId: owner }, templateKey: 'probe.status', vars: PROBE_VARS });
    const sent = await t.settled(id, ['sent', 'failed']);
    expect(sent.status).toBe('sent');
    const sid = sent.providerMessageId!;
    expect(twilio.messages.find((m) => m.sid === sid)).toMatchObject({ to: '+919876555555', statusCallback: hookUrl });

    expect((await twilio.advance(sid, 'sent'))?.status).toBe(202);
    expect((await twilio.advance(sid, 'delivered'))?.status).toBe(202);
    const delivered = await t.settled(id, ['delivered']);
    expect(delivered.deliveredAt).toBeInstanceOf(Date);

    const inbound = await twilio.simulateInbound({ url: hookUrl, from: '+919876555555', to: '+14155550100', body: '1' });
    expect(inbound.delivery.status).toBe(202);
    const reply = await waitFor(() => heard.find((m) => m.providerMessageId === inbound.messageSid), 10_000, 'sms reply heard');
    expect(reply).toMatchObject({ channel: 'sms', from: '+919876555555', personId: owner, text: '1', notificationId: id, matchedBy: 'latest_to_sender' });

    const stop = await twilio.simulateInbound({ url: hookUrl, from: '+919876555555', to: '+14155550100', body: 'STOP' });
    expect(stop.delivery.status).toBe(202);
    const prefsAfter = await waitFor(async () => {
      const next = await t.send({ dedupeKey: `sms:after-stop:${Date.now()}`, purpose: 'probe', recipient: { personId: owner }, templateKey: 'probe.status', vars: PROBE_VARS });
      const doc = await t.settled(next, ['sent', 'failed', 'opted_out']);
      return doc.status === 'opted_out' ? doc : undefined;
    }, 10_000, 'STOP honoured');
    expect(prefsAfter.attempts).toEqual([]);
    expect(heard.some((m) => m.providerMessageId === stop.messageSid)).toBe(false);
  });
});
