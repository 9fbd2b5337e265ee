import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeInboxCollection } from '../../core/probes/index.ts';
import { startTwilioFake, type TwilioFake } from '../fakes/twilio/index.ts';
import { startWhatsAppCloudFake, type WhatsAppCloudFake } from '../fakes/whatsapp-cloud/index.ts';
import { expectStatus, probeFixture, waitFor, type ProbeFixture } from './probe-fixture.ts';

let hub: ProbeFixture;
let wa: WhatsAppCloudFake;
let twilio: TwilioFake;

beforeAll(async () => {
  hub = await probeFixture('wa-sms');
  // The approved template the shipped probe text uses outside the 24-hour window.
  wa = await startWhatsAppCloudFake({ templates: [{ name: 'hub_status_probe', language: 'en', bodyParameters: 6 }] });
  twilio = await startTwilioFake();
});
afterAll(async () => {
  await hub?.close();
  await wa?.close();
  await twilio?.close();
});

describe('probe replies over WhatsApp Cloud and SMS', () => {
  it('moves the status from a WhatsApp reply to the probe, posted as a signed Meta webhook', async () => {
    const t = await hub.tenant('wa');
    const connectionId = await t.connection({
      connector: 'whatsapp-cloud',
      config: { baseUrl: wa.url, apiVersion: 'v21.0', phoneNumberId: wa.business.phoneNumberId },
      credentials: { accessToken: wa.accessToken, appSecret: wa.appSecret },
      webhook: { secrets: [wa.appSecret] },
    });
    wa.setWebhookUrl(`${hub.publicUrl}/v1/hooks/${connectionId}`);
    const owner = await t.person({ name: 'Kiran Patil', whatsapp: '+91 98765 11111', channels: ['whatsapp'] });
    const projectId = await t.project();
    const m = await t.milestone(projectId, owner, { title: 'Plastering, tower A' });
    // The owner wrote earlier, so the 24-hour window is open; nothing is waiting for that message.
    await wa.simulateInbound({ from: '919876511111', content: { type: 'text', body: 'Namaste' } });

    const before = wa.sent.length;
    const { probeId } = await expectStatus<{ probeId: string }>(t.call('POST', `/v1/milestones/${m.id}/probes`), 202);
    const notification = await t.settled((await t.probe(probeId)).notificationId!, ['sent', 'delivered', 'read', 'failed']);
    expect(notification).toMatchObject({ channel: 'whatsapp', status: 'sent' });
    const sent = wa.sent.slice(before).find((x) => x.id === notification.providerMessageId)!;
    expect(JSON.stringify(sent.body)).toContain('Plastering, tower A');

    const { delivery } = await wa.simulateInbound({ from: '919876511111', content: { type: 'text', body: '3 ho gaya, sab complete' }, replyTo: sent.id });
    expect(delivery.status).toBeLessThan(300);
    const done = await waitFor(async () => {
      const doc = await t.stored(m.id);
      return doc.status === 'submitted' && doc;
    }, 15_000, 'submitted from WhatsApp');
    expect(done.percentComplete).toBe(100);
    const probe = await t.probe(probeId);
    expect(probe).toMatchObject({ status: 'answered', outcome: { kind: 'done' } });
    expect(probe.replies[0]).toMatchObject({ channel: 'whatsapp', from: '+919876511111' });
    // The acknowledgement goes back on WhatsApp.
    await waitFor(() => wa.sent.slice(before).some((x) => x.to === '919876511111' && x.id !== sent.id), 15_000, 'WhatsApp acknowledgement');
  });

  it('parses a Twilio-signed inbound SMS and applies percent complete, then a delay reason', async () => {
    const t = await hub.tenant('sms');
    const connectionId = await t.connection({
      connector: 'twilio',
      config: { baseUrl: twilio.url, accountSid: twilio.accountSid, from: '+14155550100' },
      credentials: { authToken: twilio.authToken },
      webhook: { secrets: [twilio.authToken] },
    });
    const owner = await t.person({ name: 'Suresh Kumar', phone: '+91 98765 22222', channels: ['sms'] });
    const projectId = await t.project();
    const m = await t.milestone(projectId, owner, { title: 'Electrical conduits' });
    const { probeId } = await expectStatus<{ probeId: string }>(t.call('POST', `/v1/milestones/${m.id}/probes`), 202);
    const notification = await t.settled((await t.probe(probeId)).notificationId!, ['sent', 'delivered']);
    expect(notification.channel).toBe('sms');
    expect(twilio.messages.some((x) => x.params['To'] === '+919876522222' && x.params['Body']!.includes('Electrical conduits'))).toBe(true);

    const url = `${hub.publicUrl}/v1/hooks/${connectionId}`;
    const first = await twilio.simulateInbound({ url, from: '+919876522222', to: '+14155550100', body: 'Work is 45% complete' });
    expect(first.delivery.status).toBeLessThan(300);
    const progressed = await waitFor(async () => {
      const doc = await t.stored(m.id);
      return doc.percentComplete === 45 && doc;
    }, 15_000, 'percent from SMS');
    expect(progressed.status).toBe('in_progress');

    // A second probe, answered with a delay: the reason is categorised and the words kept.
    hub.advance(26 * 3_600_000);
    const second = await expectStatus<{ probeId: string }>(t.call('POST', `/v1/milestones/${m.id}/probes`), 202);
    await t.settled((await t.probe(second.probeId)).notificationId!, ['sent', 'delivered']);
    await twilio.simulateInbound({ url, from: '+919876522222', to: '+14155550100', body: '2 labour shortage, 3 din aur lagenge' });
    const answered = await waitFor(async () => {
      const p = await t.probe(second.probeId);
      return p.status === 'answered' && p;
    }, 15_000, 'delay from SMS');
    expect(answered.outcome).toMatchObject({ kind: 'delayed', delay: { category: 'labour', text: expect.stringContaining('labour shortage') } });
    expect((await t.probe(probeId)).status).toBe('answered');
    const stored = (await t.stored(m.id)) as unknown as { delay?: { category: string; newDueDate?: string } };
    expect(stored.delay).toMatchObject({ category: 'labour', newDueDate: '2026-03-23' });
  });

  it('leaves a message from a number nobody was asked alone', async () => {
    const t = await hub.tenant('sms-stranger');
    const connectionId = await t.connection({
      connector: 'twilio',
      config: { baseUrl: twilio.url, accountSid: twilio.accountSid, from: '+14155550100' },
      credentials: { authToken: twilio.authToken },
      webhook: { secrets: [twilio.authToken] },
    });
    const owner = await t.person({ name: 'Meena', phone: '+91 98765 33333', channels: ['sms'] });
    const m = await t.milestone(await t.project(), owner);
    const { probeId } = await expectStatus<{ probeId: string }>(t.call('POST', `/v1/milestones/${m.id}/probes`), 202);
    await twilio.simulateInbound({ url: `${hub.publicUrl}/v1/hooks/${connectionId}`, from: '+919811100000', to: '+14155550100', body: '3' });
    const inbox = await waitFor(async () => (await t.db.collection(probeInboxCollection).find({}))[0], 15_000, 'inbound recorded');
    expect(inbox.status).toBe('unmatched');
    expect((await t.probe(probeId)).status).toBe('sent');
    expect((await t.stored(m.id)).status).toBe('planned');
  });
});
