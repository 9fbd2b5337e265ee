import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestNotification, type NotificationRequest } from '../../queues/notify/index.ts';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp/index.ts';
import { GRAPH_FAULTS, startWhatsAppCloudFake, type WhatsAppCloudFake } from '../fakes/whatsapp-cloud/index.ts';
import { expectStatus, notifyFixture } from './notify-fixture.ts';
import { escalationSignalsCollection } from '../../core/escalations/index.ts';

let smtp: SmtpFake;
let wa: WhatsAppCloudFake;
let hub: Awaited<ReturnType<typeof notifyFixture>>;

// 11:00 IST on a Tuesday.
const MORNING = new Date('2026-03-03T05:30:00Z');
const PROBE_VARS = { 'milestone.title': 'Slab casting', 'project.name': 'Sharma Residency', 'owner.name': 'Asha', dueDate: '2026-03-15', replyOptions: 'Reply 1 on track, 2 delayed, 3 done', probeRef: '#P7K2M' };

beforeAll(async () => {
  smtp = await startSmtpFake();
  wa = await startWhatsAppCloudFake({ templates: [{ name: 'hub_status_probe', language: 'en', bodyParameters: 6 }] });
  hub = await notifyFixture('rules', { start: MORNING });
});
beforeEach(() => hub.setClock(MORNING));
afterAll(async () => {
  await hub.close();
  await wa.close();
  await smtp.close();
});

async function tenantWithChannels(slug: string, { whatsapp = false } = {}) {
  const t = await hub.tenant(slug);
  await t.connection({ connector: 'email', config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme <projects@acme.in>' }, credentials: {} });
  if (whatsapp) {
    await t.connection({
      connector: 'whatsapp-cloud',
      config: { baseUrl: wa.url, apiVersion: 'v21.0', phoneNumberId: wa.business.phoneNumberId },
      credentials: { accessToken: wa.accessToken, appSecret: wa.appSecret },
    });
  }
  const send = async (request: Omit<NotificationRequest, 'tenantId'>) => {
    const result = await requestNotification({ store: hub.services.store, queues: hub.queues, now: hub.now }, { ...request, tenantId: t.id });
    if (!result.ok) throw new Error(result.error.message);
    return result.value.notificationId;
  };
  return { ...t, send };
}

const mailsTo = (address: string) => smtp.messages.filter((m) => m.rcptTo.includes(address));

describe('quiet hours', () => {
  it('defers a message sent at 22:30 IST until 08:00, then sends it when the clock gets there', async () => {
    const t = await tenantWithChannels('quiet');
    const owner = await t.person({ name: 'Ravi', email: 'ravi@example.in', channels: ['email'] });
    hub.setClock(new Date('2026-03-03T17:00:00Z')); // 22:30 IST
    const id = await t.send({ dedupeKey: 'quiet:1', purpose: 'probe', recipient: { personId: owner }, templateKey: 'probe.status', vars: PROBE_VARS });

    const deferred = await t.settled(id, ['deferred']);
    expect(deferred.waitReason).toBe('quiet_hours');
    expect(deferred.dueAt?.toISOString()).toBe('2026-03-04T02:30:00.000Z'); // 08:00 IST
    expect(deferred.attempts).toEqual([]);
    expect(mailsTo('ravi@example.in')).toHaveLength(0);

    // A sweep before the window opens releases nothing.
    hub.setClock(new Date('2026-03-04T02:00:00Z'));
    await hub.sweep();
    await new Promise((r) => setTimeout(r, 300));
    expect((await t.notification(id)).status).toBe('deferred');

    hub.setClock(new Date('2026-03-04T02:31:00Z'));
    await hub.sweep();
    const sent = await t.settled(id, ['sent', 'failed']);
    expect(sent.status).toBe('sent');
    expect(sent.sentAt?.toISOString()).toBe('2026-03-04T02:31:00.000Z');
    expect(mailsTo('ravi@example.in')).toHaveLength(1);
  });

  it('cancels a deferred message, which then never goes out', async () => {
    const t = await tenantWithChannels('quiet-cancel');
    const owner = await t.person({ name: 'Lata', email: 'lata@example.in', channels: ['email'] });
    hub.setClock(new Date('2026-03-03T17:00:00Z')); // 22:30 IST
    const id = await t.send({ dedupeKey: 'quiet:cancel', purpose: 'probe', recipient: { personId: owner }, templateKey: 'probe.status', vars: PROBE_VARS });
    await t.settled(id, ['deferred']);
    const cancelled = await expectStatus<{ status: string; error: { code: string } }>(t.call('POST', `/v1/notifications/${id}/cancel`, { reason: 'answered on the phone' }), 200);
    expect(cancelled).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
    hub.setClock(new Date('2026-03-04T02:31:00Z'));
    await hub.sweep();
    await new Promise((r) => setTimeout(r, 400));
    expect((await t.notification(id)).status).toBe('cancelled');
    expect(mailsTo('lata@example.in')).toHaveLength(0);
    const again = await t.call('POST', `/v1/notifications/${id}/cancel`);
    expect(again.status).toBe(409);
    expect((await t.call('POST', '/v1/notifications/ntf_missing/cancel')).status).toBe(404);
  });

  it("uses the tenant's own quiet hours from its settings", async () => {
    const t = await tenantWithChannels('quiet-own');
    await expectStatus(t.call('PUT', '/v1/notification-settings', { delivery: { quietHours: { start: '10:00', end: '12:00' } } }), 200);
    const owner = await t.person({ name: 'Meena', email: 'meena@example.in', channels: ['email'] });
    const id = await t.send({ dedupeKey: 'quiet:own', purpose: 'reminder', recipient: { personId: owner }, templateKey: 'verification.requested', vars: { 'milestone.title': 'Plastering', 'owner.name': 'Meena', 'project.name': 'Sharma Residency', link: 'https://hub.example.in/m/1' } });
    const deferred = await t.settled(id, ['deferred']);
    expect(deferred.dueAt?.toISOString()).toBe('2026-03-03T06:30:00.000Z'); // 12:00 IST
  });
});

describe('retries and fallback', () => {
  it('retries a failing WhatsApp send after the backoff, then falls back to email', async () => {
    const t = await tenantWithChannels('fallback', { whatsapp: true });
    await expectStatus(t.call('PUT', '/v1/notification-settings', { retry: { maxAttemptsPerChannel: 2, initialDelay: 'PT1M' } }), 200);
    const owner = await t.person({ name: 'Kiran', email: 'kiran@example.in', whatsapp: '+91 98765 11111', channels: ['whatsapp', 'email'] });
    const before = wa.sent.length;

    wa.failNext(GRAPH_FAULTS.unknownError);
    const id = await t.send({ dedupeKey: 'fallback:1', purpose: 'probe', recipient: { personId: owner }, templateKey: 'probe.status', vars: PROBE_VARS });
    const waiting = await hubWait(async () => {
      const doc = await t.notification(id);
      return doc.attempts.length === 1 && doc.waitReason === 'retry' ? doc : undefined;
    });
    expect(waiting.status).toBe('queued');
    expect(waiting.attempts[0]).toMatchObject({ channel: 'whatsapp', outcome: 'failed', error: { permanent: false } });
    expect(waiting.dueAt?.toISOString()).toBe(new Date(MORNING.getTime() + 60_000).toISOString());

    wa.failNext(GRAPH_FAULTS.unknownError);
    hub.advance(61_000);
    await hub.sweep();
    const done = await t.settled(id, ['sent', 'failed']);
    expect(done.status).toBe('sent');
    expect(done.channel).toBe('email');
    expect(done.attempts.map((a) => [a.channel, a.outcome])).toEqual([
      ['whatsapp', 'failed'],
      ['whatsapp', 'failed'],
      ['email', 'sent'],
    ]);
    expect(wa.sent.length).toBe(before); // both WhatsApp calls were refused
    expect(mailsTo('kiran@example.in')).toHaveLength(1);
  });

  it('marks an invoice nobody received as an escalation cause for its milestone, until one is delivered', async () => {
    const t = await tenantWithChannels('undelivered');
    const invoice = (n: number) => ({
      dedupeKey: `undelivered:${n}`,
      purpose: 'invoice',
      recipient: { contact: { name: 'Rohit Sharma', email: 'rohit@sharma.in' } },
      templateKey: 'invoice.sent' as const,
      vars: { amount: 1_18_000_00, 'invoice.number': `INV/26-27/00000${n}`, 'milestone.title': 'Lift installation', 'project.name': 'Tower B', 'client.name': 'Sharma Builders', dueDate: '2026-04-02' },
      link: `https://hub.example.in/i/inv_${n}`,
      milestoneId: 'ms_lift',
      invoiceId: `inv_${n}`,
    });
    const signal = async () => (await t.db.collection(escalationSignalsCollection).findOne({ milestoneId: 'ms_lift' }))?.invoiceUndeliveredAt;
    smtp.setMode('reject');
    try {
      const failed = await t.settled(await t.send(invoice(1)), ['failed', 'sent']);
      expect(failed.status).toBe('failed');
    } finally {
      smtp.setMode('accept');
    }
    expect(await signal()).toBeInstanceOf(Date);
    const sent = await t.settled(await t.send(invoice(2)), ['failed', 'sent']);
    expect(sent.status).toBe('sent');
    expect(await signal()).toBeUndefined();
  });

  it('moves on at once when the SMTP peer refuses the recipient permanently, and fails when nothing is left', async () => {
    const t = await tenantWithChannels('refused');
    const owner = await t.person({ name: 'Om', email: 'om@example.in', channels: ['email'] });
    smtp.setMode('reject');
    try {
      const id = await t.send({ dedupeKey: 'refused:1', purpose: 'probe', recipient: { personId: owner }, templateKey: 'probe.status', vars: PROBE_VARS });
      const failed = await t.settled(id, ['failed', 'sent']);
      expect(failed.status).toBe('failed');
      expect(failed.attempts).toHaveLength(1);
      expect(failed.error).toMatchObject({ permanent: true });
    } finally {
      smtp.setMode('accept');
    }
  });
});

describe('opt-out', () => {
  it('sends nothing to a person who opted out, and records why', async () => {
    const t = await tenantWithChannels('optout');
    const owner = await t.person({ name: 'Zoya', email: 'zoya@example.in', channels: ['email'] });
    const prefs = await expectStatus<{ optOut: { all: boolean } }>(t.call('PUT', `/v1/people/${owner}/contact-preferences`, { optOut: { all: true, reason: 'asked by phone' } }), 200);
    expect(prefs.optOut.all).toBe(true);
    const id = await t.send({ dedupeKey: 'optout:1', purpose: 'probe', recipient: { personId: owner }, templateKey: 'probe.status', vars: PROBE_VARS });
    const doc = await t.settled(id, ['opted_out', 'sent', 'failed']);
    expect(doc.status).toBe('opted_out');
    expect(doc.attempts).toEqual([]);
    expect(mailsTo('zoya@example.in')).toHaveLength(0);

    // Opting back in lets the next message through.
    await expectStatus(t.call('PUT', `/v1/people/${owner}/contact-preferences`, { optOut: null }), 200);
    const next = await t.send({ dedupeKey: 'optout:2', purpose: 'probe', recipient: { personId: owner }, templateKey: 'probe.status', vars: PROBE_VARS });
    expect((await t.settled(next, ['sent', 'failed', 'opted_out'])).status).toBe('sent');
  });

  it('skips an opted-out channel and uses the next one', async () => {
    const t = await tenantWithChannels('optout-channel', { whatsapp: true });
    const owner = await t.person({ name: 'Dev', email: 'dev@example.in', whatsapp: '+91 98765 22222', channels: ['whatsapp', 'email'] });
    await expectStatus(t.call('PUT', `/v1/people/${owner}/contact-preferences`, { optOut: { channels: ['whatsapp'] } }), 200);
    const before = wa.sent.length;
    const id = await t.send({ dedupeKey: 'optout-channel:1', purpose: 'probe', recipient: { personId: owner }, templateKey: 'probe.status', vars: PROBE_VARS });
    const doc = await t.settled(id, ['sent', 'failed', 'opted_out']);
    expect(doc.channel).toBe('email');
    expect(wa.sent.length).toBe(before);
  });

  it('answers 404 and 422 problems for an unknown person and a bad preference', async () => {
    const t = await tenantWithChannels('optout-bad');
    const missing = await t.call('PUT', '/v1/people/per_missing/contact-preferences', { optOut: { all: true } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const owner = await t.person({ name: 'X', email: 'x@example.in' });
    const bad = await t.call('PUT', `/v1/people/${owner}/contact-preferences`, { optOut: { channels: ['pigeon'] } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('Hindi', () => {
  it('renders a Hindi reminder with lakh grouping by default and crore in the compact style', async () => {
    const t = await tenantWithChannels('hindi');
    const client = await t.person({ name: 'सुनीता राव', email: 'sunita@example.in', channels: ['email'], locale: 'hi-IN' });
    const vars = { 'milestone.title': 'स्लैब ढलाई', 'project.name': 'शर्मा रेज़िडेंसी', 'invoice.number': 'INV/2026-27/0042', dueDate: '2026-03-15' };
    const full = await t.send({ dedupeKey: 'hi:1', purpose: 'reminder', recipient: { personId: client }, templateKey: 'payment.reminder.before_due', vars: { ...vars, amount: 12_50_000_00 } });
    const fullDoc = await t.settled(full, ['sent', 'failed']);
    expect(fullDoc.rendered).toMatchObject({ channel: 'email', locale: 'hi' });
    expect(fullDoc.rendered?.subject).toBe('भुगतान अनुस्मारक: ₹12,50,000, देय तिथि 15 मार्च 2026');
    expect(fullDoc.rendered?.text).toContain('आदरणीय सुनीता राव जी');

    const saved = await t.call('PUT', '/v1/message-templates/payment.reminder.before_due/email/hi', {
      subject: 'भुगतान: {{amount}} ({{invoice.number}})',
      body: '{{recipient.name}} जी, {{amount}} का भुगतान {{dueDate}} तक करें।',
      amountStyle: 'compact',
    });
    expect(saved.status).toBe(200);
    const compact = await t.send({ dedupeKey: 'hi:2', purpose: 'reminder', recipient: { personId: client }, templateKey: 'payment.reminder.before_due', vars: { ...vars, amount: 1_25_00_000_00 } });
    const compactDoc = await t.settled(compact, ['sent', 'failed']);
    expect(compactDoc.rendered?.subject).toBe('भुगतान: ₹1.25 करोड़ (INV/2026-27/0042)');
    expect(compactDoc.rendered?.text).toBe('सुनीता राव जी, ₹1.25 करोड़ का भुगतान 15 मार्च 2026 तक करें।');
    expect(mailsTo('sunita@example.in')).toHaveLength(2);
  });
});

async function hubWait<T>(check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 40));
  }
}
