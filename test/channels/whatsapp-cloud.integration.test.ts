import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthExpiredError, RateLimitedError, TransientVendorError, UnrecoverableVendorError, type OutboundHttp } from '../../connectors/sdk/index.ts';
import { whatsappCloudConnector, type WhatsAppOutboundMessage } from '../../connectors/whatsapp-cloud/index.ts';
import { GRAPH_FAULTS, startWhatsAppCloudFake, type WhatsAppCloudFake } from '../fakes/whatsapp-cloud/index.ts';
import { channelContext, loopbackOutbound } from './channel-context.ts';
import { startSignedWebhookReceiver, type SignedWebhookReceiver } from './signed-webhook-receiver.ts';

let fake: WhatsAppCloudFake;
let receiver: SignedWebhookReceiver;
let outbound: OutboundHttp;

const owner = '+91 98765 43210';
const config = () => ({ baseUrl: fake.url, apiVersion: 'v21.0', phoneNumberId: fake.business.phoneNumberId });
const credentials = () => ({ accessToken: fake.accessToken, appSecret: fake.appSecret });
const ctx = (creds: unknown = credentials()) => channelContext(whatsappCloudConnector, { config: config(), credentials: creds, outbound });
const send = (message: WhatsAppOutboundMessage, context = ctx()) => whatsappCloudConnector.sendMessage!(context, message);

const probeTemplate: WhatsAppOutboundMessage = {
  to: owner,
  text: 'How is Foundation pour going?',
  idempotencyKey: 'probe:ms-42:2025-03-31',
  template: { name: 'milestone_status_probe', language: 'en', parameters: ['Asha', 'Foundation pour'] },
};

beforeAll(async () => {
  fake = await startWhatsAppCloudFake();
  outbound = loopbackOutbound();
  receiver = await startSignedWebhookReceiver({ connector: whatsappCloudConnector, config: { ...config() }, scheme: 'meta', secret: fake.appSecret });
  fake.setWebhookUrl(receiver.url);
});
afterEach(async () => {
  await fake.flushWebhooks();
});
afterAll(async () => {
  outbound.close();
  await fake.close();
  await receiver.close();
});

describe('WhatsApp Cloud API against the fake Graph API', () => {
  it('sends a template with body parameters, the key as biz_opaque_callback_data, to E.164 digits', async () => {
    const sent = await send(probeTemplate);
    expect(sent).toMatchObject({ messageId: expect.stringMatching(/^wamid\./), status: 'queued', waId: '919876543210' });
    const request = fake.sent.find((m) => m.id === sent.messageId)!;
    expect(request.authorization).toBe(`Bearer ${fake.accessToken}`);
    expect(request.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '919876543210',
      biz_opaque_callback_data: 'probe:ms-42:2025-03-31',
      type: 'template',
      template: {
        name: 'milestone_status_probe',
        language: { code: 'en' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Asha' }, { type: 'text', text: 'Foundation pour' }] }],
      },
    });
  });

  it('carries a reply from the owner, with context.id, back through a signed webhook', async () => {
    const sent = await send(probeTemplate);
    const { messageId, delivery } = await fake.simulateInbound({ from: '919876543210', content: { type: 'text', body: '2 delayed, steel is late' }, replyTo: sent.messageId });
    expect(delivery.status).toBe(200);
    const change = receiver.changes().find((c) => c.id === messageId)!;
    expect(change).toMatchObject({
      type: 'message.received',
      object: 'message',
      data: { messageId, from: '+919876543210', to: '+919000000001', text: '2 delayed, steel is late', inReplyTo: sent.messageId, kind: 'text', profileName: 'Asha Rao' },
    });
  });

  it('reads a tapped reply button as its title and the id the hub set', async () => {
    const sent = await send({ to: owner, text: 'Foundation pour: how is it going?', idempotencyKey: 'probe:buttons', buttons: [{ id: 'probe:ms-42:on_track', title: 'On track' }, { id: 'probe:ms-42:delayed', title: 'Delayed' }, { id: 'probe:ms-42:done', title: 'Done' }] });
    expect(fake.sent.at(-1)!.body).toMatchObject({ type: 'interactive', interactive: { type: 'button', action: { buttons: [{ type: 'reply', reply: { id: 'probe:ms-42:on_track', title: 'On track' } }, {}, {}] } } });
    const { messageId } = await fake.simulateInbound({ from: '919876543210', content: { type: 'button_reply', id: 'probe:ms-42:done', title: 'Done' }, replyTo: sent.messageId });
    expect(receiver.changes().find((c) => c.id === messageId)?.data).toMatchObject({ text: 'Done', contextId: 'probe:ms-42:done', inReplyTo: sent.messageId, kind: 'interactive' });
  });

  it('maps statuses sent → delivered → read, each naming the message and the key', async () => {
    const sent = await send(probeTemplate);
    for (const status of ['sent', 'delivered', 'read'] as const) await fake.simulateStatus({ messageId: sent.messageId, status });
    const statuses = receiver.changes().filter((c) => c.type === 'message.status' && c.id === sent.messageId);
    expect(statuses.map((c) => c.data)).toMatchObject([
      { messageId: sent.messageId, status: 'sent', recipient: '+919876543210', reference: 'probe:ms-42:2025-03-31' },
      { status: 'delivered' },
      { status: 'read' },
    ]);
    expect(statuses.map((c) => c.eventId)).toEqual([`${sent.messageId}:sent`, `${sent.messageId}:delivered`, `${sent.messageId}:read`]);
  });

  it('reports free-form text outside the 24 h window as a failed status (131047), as Meta does', async () => {
    const sent = await send({ to: '+919811122233', text: 'Any update?', idempotencyKey: 'nudge:1' });
    await fake.flushWebhooks();
    expect(receiver.changes().find((c) => c.id === sent.messageId)?.data).toMatchObject({ status: 'failed', error: { code: '131047', message: expect.stringContaining('Re-engagement message') } });
  });

  it('sends free-form text inside the window opened by an inbound message', async () => {
    await fake.simulateInbound({ from: '919812345678', content: { type: 'text', body: 'hi' } });
    const sent = await send({ to: '9812345678', text: 'Thanks, noted.', idempotencyKey: 'ack:1', inReplyTo: 'wamid.earlier' });
    await fake.flushWebhooks();
    expect(fake.sent.at(-1)!.body).toMatchObject({ type: 'text', text: { body: 'Thanks, noted.', preview_url: false }, context: { message_id: 'wamid.earlier' } });
    expect(receiver.changes().some((c) => c.id === sent.messageId)).toBe(false);
  });

  it('rejects a webhook with a bad signature before parsing', async () => {
    const res = await fetch(receiver.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }, body: '{"object":"whatsapp_business_account","entry":[]}' });
    expect(res.status).toBe(403);
    expect(receiver.received.at(-1)).toMatchObject({ verified: false, reason: 'bad_signature' });
  });

  describe('Graph errors become named errors', () => {
    it.each([
      ['expired token (190)', GRAPH_FAULTS.expiredToken, AuthExpiredError],
      ['throughput limit (130429)', GRAPH_FAULTS.rateLimited, RateLimitedError],
      ['account rate limit (80007)', GRAPH_FAULTS.accountRateLimited, RateLimitedError],
      ['spam rate limit (131048)', GRAPH_FAULTS.spamRateLimited, RateLimitedError],
      ['undeliverable (131026)', GRAPH_FAULTS.undeliverable, UnrecoverableVendorError],
      ['something went wrong (131000)', GRAPH_FAULTS.unknownError, TransientVendorError],
      ['service unavailable (2)', GRAPH_FAULTS.temporarilyUnavailable, TransientVendorError],
    ])('%s', async (_name, fault, errorClass) => {
      fake.failNext(fault);
      const error = await send(probeTemplate).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errorClass);
      expect((error as Error).message).toContain(`code ${fault.code}`);
      expect((error as Error).message).toMatch(/fbtrace A/);
    });

    it('a wrong token is AuthExpiredError', async () => {
      await expect(send(probeTemplate, ctx({ accessToken: 'revoked', appSecret: fake.appSecret }))).rejects.toBeInstanceOf(AuthExpiredError);
    });

    it('an unknown template or a parameter count mismatch is UnrecoverableVendorError', async () => {
      await expect(send({ ...probeTemplate, template: { name: 'no_such_template', language: 'en', parameters: [] } })).rejects.toThrow(/132001/);
      await expect(send({ ...probeTemplate, template: { ...probeTemplate.template!, parameters: ['only one'] } })).rejects.toThrow(/132000/);
    });

    it('refuses bad input before calling: not a phone number, too many buttons, long titles', async () => {
      const before = fake.sent.length;
      await expect(send({ ...probeTemplate, to: 'asha@example.in' })).rejects.toBeInstanceOf(UnrecoverableVendorError);
      await expect(send({ to: owner, text: 'x', idempotencyKey: 'k', buttons: [1, 2, 3, 4].map((n) => ({ id: `b${n}`, title: `B${n}` })) })).rejects.toThrow(/at most 3/);
      await expect(send({ to: owner, text: 'x', idempotencyKey: 'k', buttons: [{ id: 'b', title: 'A title far too long for WhatsApp' }] })).rejects.toThrow(/1-20 characters/);
      expect(fake.sent.length).toBe(before);
    });
  });

  it('checks a connection by reading the phone number', async () => {
    await expect(whatsappCloudConnector.check(ctx())).resolves.toMatchObject({ ok: true, message: expect.stringContaining('+919000000001') });
    await expect(whatsappCloudConnector.check(ctx({ accessToken: 'bad', appSecret: 'x' }))).resolves.toMatchObject({ ok: false, code: 'auth_failed' });
    const wrongNumber = channelContext(whatsappCloudConnector, { config: { ...config(), phoneNumberId: '123456' }, credentials: credentials(), outbound });
    await expect(whatsappCloudConnector.check(wrongNumber)).resolves.toMatchObject({ ok: false, code: 'vendor_error', message: expect.stringContaining('does not exist') });
  });
});
