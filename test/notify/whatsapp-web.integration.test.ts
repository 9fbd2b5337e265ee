import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatsappLogin } from '../../cli/whatsapp-login.ts';
import { requestNotification, type InboundMessageEvent } from '../../queues/notify/index.ts';
import { FakeWhatsAppWebGateway } from '../channels/fake-whatsapp-web-gateway.ts';
import { expectStatus, notifyFixture, waitFor } from './notify-fixture.ts';

const gateway = new FakeWhatsAppWebGateway('qr');
const heard: InboundMessageEvent[] = [];
let hub: Awaited<ReturnType<typeof notifyFixture>>;

beforeAll(async () => {
  hub = await notifyFixture('waweb', {
    whatsappWebGateway: gateway,
    listeners: [{ name: 'test-listener', onInboundMessage: async (m) => (heard.push(m), { status: 'handled' }) }],
  });
});
afterAll(async () => {
  await hub.close();
});

describe('WhatsApp Web: login by QR or pairing code, then messages both ways', () => {
  it('shows the QR, a pairing code on request, the linked number, and sends and hears through the session', async () => {
    const t = await hub.tenant('waweb');
    await expectStatus(t.call('PUT', '/v1/notification-settings', { delivery: { quietHours: null } }), 200);
    const conn = await t.connection({ connector: 'whatsapp-web', config: { deviceName: 'Acme Hub' }, credentials: {} });

    const qr = await expectStatus<{ state: string; qr?: string }>(t.call('GET', `/v1/connections/${conn}/whatsapp-web/login`), 200);
    expect(qr).toMatchObject({ state: 'qr', qr: '2@fakeQrPayload,one' });
    expect(gateway.starts).toBe(1);

    const paired = await expectStatus<{ state: string; pairingCode?: string }>(t.call('POST', `/v1/connections/${conn}/whatsapp-web/pairing-code`, { phone: '+91 90000 00002' }), 200);
    expect(paired).toMatchObject({ state: 'qr', pairingCode: 'K7QX-9M2P' });
    expect(gateway.pairingRequests).toEqual(['919000000002']);

    gateway.link('919000000002');
    const ready = await expectStatus<{ state: string; phone?: string }>(t.call('GET', `/v1/connections/${conn}/whatsapp-web/login`), 200);
    expect(ready).toMatchObject({ state: 'ready', phone: '+919000000002' });
    expect(gateway.starts).toBe(1); // the running session is reused

    const owner = await t.person({ name: 'Farhan', whatsapp: '+91 98765 43210', channels: ['whatsapp'] });
    const requested = await requestNotification({ store: hub.services.store, queues: hub.queues, now: hub.now }, {
      tenantId: t.id,
      dedupeKey: 'waweb:1',
      purpose: 'probe',
      recipient: { personId: owner },
      templateKey: 'probe.status',
      vars: { 'milestone.title': 'Roof waterproofing', 'project.name': 'Sharma Residency', 'owner.name': 'Farhan', dueDate: '2026-03-15', replyOptions: 'Reply 1 on track, 2 delayed, 3 done', probeRef: '#P7K2M' },
      probeId: 'prb_web',
    });
    if (!requested.ok) throw new Error(requested.error.message);
    const sent = await t.settled(requested.value.notificationId, ['sent', 'failed']);
    expect(sent.status).toBe('sent');
    const outbound = gateway.sent.at(-1)!;
    expect(outbound.chatId).toBe('919876543210@c.us');
    expect(outbound.text).toContain('*Roof waterproofing*');
    expect(sent.providerMessageId).toBe(outbound.id);

    gateway.ack(outbound.id, 3);
    const read = await t.settled(sent._id, ['read']);
    expect(read.readAt).toBeInstanceOf(Date);

    gateway.deliver({ from: '919876543210@c.us', body: '1', quotedMessageId: outbound.id });
    const reply = await waitFor(() => heard.find((m) => m.channel === 'whatsapp' && m.text === '1'), 10_000, 'reply heard');
    expect(reply).toMatchObject({ tenantId: t.id, connectionId: conn, from: '+919876543210', personId: owner, notificationId: sent._id, matchedBy: 'in_reply_to', probeId: 'prb_web' });
  });

  it('hub whatsapp login prints the QR as text until the phone links', async () => {
    const t = await hub.tenant('waweb-cli');
    const conn = await t.connection({ connector: 'whatsapp-web', config: {}, credentials: {} });
    let printed = '';
    let polls = 0;
    const phone = await whatsappLogin(conn, { url: 'http://hub.test', key: t.key, pollMs: 1 }, {
      fetch: async (url, init) => hub.app.request(url.replace('http://hub.test', ''), init),
      write: (text) => {
        printed += text;
      },
      sleep: async () => {
        polls += 1;
        if (polls === 2) gateway.link('919000000003');
      },
    });
    expect(phone).toBe('+919000000003');
    expect(printed).toContain('Scan with the phone');
    expect(printed).toMatch(/[█▀▄]{20,}/);
    expect(printed.match(/Scan with the phone/g)).toHaveLength(1); // the same QR is not printed twice
    expect(printed).toContain('Linked as +919000000003.');
    await expect(whatsappLogin(conn, { url: 'http://hub.test', key: 'mhk_wrong', pollMs: 1 }, { fetch: async (url, init) => hub.app.request(url.replace('http://hub.test', ''), init), write: () => undefined, sleep: async () => undefined })).rejects.toThrow(/401/);
  });

  it('answers 409 for a connection that is not WhatsApp Web and 404 for another tenant', async () => {
    const t = await hub.tenant('waweb-other');
    const mail = await t.connection({ connector: 'email', config: { host: '127.0.0.1', port: 2525, secure: false, from: 'a@acme.in' }, credentials: {} });
    const wrong = await t.call('GET', `/v1/connections/${mail}/whatsapp-web/login`);
    expect(wrong.status).toBe(409);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    const stranger = await hub.tenant('waweb-stranger');
    const web = await t.connection({ connector: 'whatsapp-web', config: {}, credentials: {} });
    expect((await stranger.call('GET', `/v1/connections/${web}/whatsapp-web/login`)).status).toBe(404);
  });
});
