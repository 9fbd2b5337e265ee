import { describe, expect, it } from 'vitest';
import { vendorErrorFromSmtp } from '../../connectors/email/index.ts';
import { parseMsg91Report, vendorErrorFromMsg91 } from '../../connectors/msg91/index.ts';
import { AuthExpiredError, RateLimitedError, TransientVendorError, UnrecoverableVendorError } from '../../connectors/sdk/index.ts';
import { parseTwilioWebhook, twilioConnector } from '../../connectors/twilio/index.ts';
import { parseWhatsAppWebhook, vendorErrorFromGraph, whatsappCloudConnector } from '../../connectors/whatsapp-cloud/index.ts';
import { signMeta, verifiers } from '../../webhooks/verifiers/index.ts';

const receivedAt = new Date('2025-03-31T05:00:00Z');
const bytes = (text: string) => new TextEncoder().encode(text);
const PHONE_ID = '106540352242922';

// Shapes as Meta documents them for Cloud API webhooks.
const metaWebhook = (value: Record<string, unknown>, phoneNumberId = PHONE_ID) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId }, ...value }, field: 'messages' }] }],
  });

describe('WhatsApp Cloud webhook payloads', () => {
  it('reads each kind of inbound message', () => {
    const body = metaWebhook({
      contacts: [{ profile: { name: 'Asha Rao' }, wa_id: '919876543210' }],
      messages: [
        { context: { from: '15550783881', id: 'wamid.PROBE' }, from: '919876543210', id: 'wamid.T1', timestamp: '1743397200', type: 'text', text: { body: '2 delayed' } },
        { context: { from: '15550783881', id: 'wamid.PROBE' }, from: '919876543210', id: 'wamid.B1', timestamp: '1743397201', type: 'button', button: { payload: 'probe:ms-42:done', text: 'Done' } },
        { from: '919876543210', id: 'wamid.L1', timestamp: '1743397202', type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'delay:materials', title: 'Materials late', description: 'Steel, cement' } } },
        { from: '919876543210', id: 'wamid.R1', timestamp: '1743397203', type: 'reaction', reaction: { message_id: 'wamid.PROBE', emoji: '👍' } },
        { from: '919876543210', id: 'wamid.I1', timestamp: '1743397204', type: 'image', image: { caption: 'slab done', mime_type: 'image/jpeg', sha256: 'x', id: '1' } },
        { from: '919876543210', id: 'wamid.A1', timestamp: '1743397205', type: 'audio', audio: { mime_type: 'audio/ogg; codecs=opus', id: '2', voice: true } },
      ],
    });
    const result = parseWhatsAppWebhook(bytes(body), { phoneNumberId: PHONE_ID, receivedAt });
    expect(result.ok && result.messages).toEqual([
      { messageId: 'wamid.T1', from: '+919876543210', to: '+15550783881', text: '2 delayed', receivedAt: '2025-03-31T05:00:00.000Z', inReplyTo: 'wamid.PROBE', kind: 'text', profileName: 'Asha Rao' },
      { messageId: 'wamid.B1', from: '+919876543210', to: '+15550783881', text: 'Done', receivedAt: '2025-03-31T05:00:01.000Z', inReplyTo: 'wamid.PROBE', contextId: 'probe:ms-42:done', kind: 'button', profileName: 'Asha Rao' },
      { messageId: 'wamid.L1', from: '+919876543210', to: '+15550783881', text: 'Materials late', receivedAt: '2025-03-31T05:00:02.000Z', contextId: 'delay:materials', kind: 'interactive', profileName: 'Asha Rao' },
      { messageId: 'wamid.R1', from: '+919876543210', to: '+15550783881', text: '👍', receivedAt: '2025-03-31T05:00:03.000Z', inReplyTo: 'wamid.PROBE', kind: 'reaction', profileName: 'Asha Rao' },
      { messageId: 'wamid.I1', from: '+919876543210', to: '+15550783881', text: 'slab done', receivedAt: '2025-03-31T05:00:04.000Z', kind: 'image', profileName: 'Asha Rao' },
      { messageId: 'wamid.A1', from: '+919876543210', to: '+15550783881', text: '', receivedAt: '2025-03-31T05:00:05.000Z', kind: 'audio', profileName: 'Asha Rao' },
    ]);
  });

  it('reads statuses, with Meta errors as permanent or not, and skips deleted ones', () => {
    const body = metaWebhook({
      statuses: [
        { id: 'wamid.P', status: 'delivered', timestamp: '1743397260', recipient_id: '919876543210', biz_opaque_callback_data: 'probe:ms-42', pricing: { billable: true, pricing_model: 'PMP', category: 'utility' } },
        {
          id: 'wamid.Q',
          status: 'failed',
          timestamp: '1743397261',
          recipient_id: '919811122233',
          errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' } }],
        },
        { id: 'wamid.S', status: 'failed', timestamp: '1743397262', recipient_id: '919811122233', errors: [{ code: 131000, title: 'Something went wrong' }] },
        { id: 'wamid.D', status: 'deleted', timestamp: '1743397263', recipient_id: '919811122233' },
      ],
    });
    const result = parseWhatsAppWebhook(bytes(body), { phoneNumberId: PHONE_ID, receivedAt });
    expect(result.ok && result.statuses).toEqual([
      { messageId: 'wamid.P', status: 'delivered', occurredAt: '2025-03-31T05:01:00.000Z', recipient: '+919876543210', reference: 'probe:ms-42' },
      {
        messageId: 'wamid.Q',
        status: 'failed',
        error: { code: '131047', permanent: true, message: 'Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
        occurredAt: '2025-03-31T05:01:01.000Z',
        recipient: '+919811122233',
      },
      { messageId: 'wamid.S', status: 'failed', error: { code: '131000', permanent: false, message: 'Something went wrong' }, occurredAt: '2025-03-31T05:01:02.000Z', recipient: '+919811122233' },
    ]);
  });

  it('skips other phone numbers of the same app, reports system errors, refuses what is not a WhatsApp webhook', () => {
    expect(parseWhatsAppWebhook(bytes(metaWebhook({ messages: [{ from: '91', id: 'x', type: 'text', text: { body: 'x' } }] }, '999')), { phoneNumberId: PHONE_ID, receivedAt })).toEqual({ ok: true, messages: [], statuses: [], errors: [] });
    const errors = parseWhatsAppWebhook(bytes(metaWebhook({ errors: [{ code: 131042, title: 'Business eligibility payment issue', error_data: { details: 'Payment method missing' } }] })), { phoneNumberId: PHONE_ID, receivedAt });
    expect(errors).toMatchObject({ ok: true, errors: [{ code: '131042', message: 'Payment method missing' }] });
    expect(parseWhatsAppWebhook(bytes('{"object":"page","entry":[]}'), { phoneNumberId: PHONE_ID, receivedAt })).toMatchObject({ ok: false, error: { code: 'unsupported_event' } });
    expect(parseWhatsAppWebhook(bytes('not json'), { phoneNumberId: PHONE_ID, receivedAt })).toMatchObject({ ok: false, error: { code: 'invalid_body' } });
  });

  it('verifies the raw body with scheme meta, then parses it through the connector', async () => {
    const body = metaWebhook({ messages: [{ context: { id: 'wamid.PROBE' }, from: '919876543210', id: 'wamid.V1', timestamp: '1743397200', type: 'text', text: { body: '3 done' } }] });
    const headers = { ...signMeta({ appSecret: 'app-secret', body }), 'content-type': 'application/json' };
    const verdict = verifiers.meta.verify({ rawBody: bytes(body), headers, url: 'https://hub.example.in/v1/webhooks/c1', secrets: [{ value: 'app-secret' }], now: receivedAt });
    expect(verdict).toMatchObject({ ok: true, eventId: expect.any(String) });
    const messages = await whatsappCloudConnector.parseInboundMessages!({ headers, rawBody: bytes(body), receivedAt }, { phoneNumberId: PHONE_ID });
    expect(messages).toMatchObject([{ messageId: 'wamid.V1', text: '3 done', inReplyTo: 'wamid.PROBE' }]);
  });
});

describe('Twilio webhook bodies', () => {
  const form = (params: Record<string, string>) => bytes(new URLSearchParams(params).toString());
  const ct = 'application/x-www-form-urlencoded';

  it('reads an incoming SMS with numbers in E.164, and a WhatsApp-via-Twilio reply with its original', () => {
    expect(parseTwilioWebhook(form({ MessageSid: 'SM1', SmsStatus: 'received', From: '+919876543210', To: '+14155550100', Body: '1', NumSegments: '1' }), { contentType: ct, receivedAt })).toEqual({
      ok: true,
      messages: [{ messageId: 'SM1', from: '+919876543210', to: '+14155550100', text: '1', receivedAt: '2025-03-31T05:00:00.000Z', segments: 1 }],
      statuses: [],
    });
    const whatsapp = parseTwilioWebhook(form({ MessageSid: 'SM2', SmsStatus: 'received', From: 'whatsapp:+919876543210', To: 'whatsapp:+14155550100', Body: '2', OriginalRepliedMessageSid: 'SM0' }), { contentType: ct, receivedAt });
    expect(whatsapp).toMatchObject({ ok: true, messages: [{ from: '+919876543210', inReplyTo: 'SM0' }] });
  });

  it('maps status callbacks; an opted-out recipient is flagged; receiving and non-form bodies are refused', () => {
    const failed = parseTwilioWebhook(form({ MessageSid: 'SM3', MessageStatus: 'failed', ErrorCode: '21610', To: '+919876543210' }), { contentType: ct, receivedAt });
    expect(failed).toMatchObject({ ok: true, statuses: [{ messageId: 'SM3', status: 'failed', error: { code: '21610', permanent: true, optOut: true, message: 'the recipient replied STOP and is unsubscribed' } }] });
    expect(parseTwilioWebhook(form({ MessageSid: 'SM4', MessageStatus: 'sending' }), { contentType: ct, receivedAt })).toMatchObject({ ok: true, statuses: [{ status: 'queued' }] });
    expect(parseTwilioWebhook(form({ MessageSid: 'SM5', MessageStatus: 'receiving' }), { contentType: ct, receivedAt })).toMatchObject({ ok: false, error: { code: 'unsupported_event' } });
    expect(parseTwilioWebhook(bytes('{"MessageSid":"SM6"}'), { contentType: 'application/json', receivedAt })).toMatchObject({ ok: false, error: { code: 'invalid_body' } });
    expect(parseTwilioWebhook(form({ Body: 'no sid' }), { contentType: ct, receivedAt })).toMatchObject({ ok: false, error: { message: 'the body has no MessageSid' } });
  });

  it('the connector refuses a body it cannot read, as a value from parseWebhook', async () => {
    await expect(twilioConnector.parseWebhook!({ headers: { 'content-type': 'text/plain' }, rawBody: bytes('x'), receivedAt }, {})).resolves.toMatchObject({ ok: false });
  });
});

describe('MSG91 delivery reports', () => {
  it('reads the v2 form exactly as MSG91 documents it (reports as a JSON string in data)', () => {
    const data =
      '[{"senderId":"MSTONE","requestId":"346XXXXXXXXXXXX130","report":[{"date":"2024-05-22 10:06:20","amount":"0.01","clientid":"","INMSID":"0","CRQID":"0","ctCode":"900","number":"919500006558","credit":"1","status":"1","desc":"DELIVERED","failedReason":""}],"userId":"27XXXX","campaignName":"Sendhttp"}]';
    const result = parseMsg91Report(bytes(new URLSearchParams({ data }).toString()), { contentType: 'application/x-www-form-urlencoded', senderId: 'MSTONE', receivedAt });
    expect(result).toEqual({ ok: true, statuses: [{ messageId: '346XXXXXXXXXXXX130', status: 'delivered', occurredAt: '2024-05-22T04:36:20.000Z', recipient: '+919500006558' }] });
  });

  it('reads v3 JSON and the newer webhook; skips another sender id; maps rejections as permanent', () => {
    const v3 = JSON.stringify({ date: '2024-05-22 09:58:16', number: '919500006558', senderId: 'MSTONE', amount: '0.01', requestId: 'R3', INMSID: '0', CRQID: '0', credit: '1', userId: '27', campaignName: 'API', status: '16', desc: 'REJECTED' });
    expect(parseMsg91Report(bytes(v3), { contentType: 'application/json', senderId: 'MSTONE', receivedAt })).toEqual({
      ok: true,
      statuses: [{ messageId: 'R3', status: 'failed', error: { code: '16', permanent: true, message: 'REJECTED' }, occurredAt: '2024-05-22T04:28:16.000Z', recipient: '+919500006558' }],
    });
    const newer = JSON.stringify({ requestId: 'R4', status: 'Delivered', telNum: '919500006558', deliveryTime: '2025-03-31 10:31:00', senderId: 'MSTONE' });
    expect(parseMsg91Report(bytes(newer), { contentType: 'application/json', senderId: 'MSTONE', receivedAt })).toMatchObject({ ok: true, statuses: [{ messageId: 'R4', status: 'delivered', occurredAt: '2025-03-31T05:01:00.000Z' }] });
    const other = JSON.stringify({ requestId: 'R5', status: '1', number: '919500006558', senderId: 'OTHERS' });
    expect(parseMsg91Report(bytes(other), { contentType: 'application/json', senderId: 'MSTONE', receivedAt })).toEqual({ ok: true, statuses: [] });
  });

  it('refuses bodies it cannot read', () => {
    expect(parseMsg91Report(bytes('data=%7Bnot'), { contentType: 'application/x-www-form-urlencoded', senderId: 'MSTONE', receivedAt })).toMatchObject({ ok: false, error: { message: 'the data field is not JSON' } });
    expect(parseMsg91Report(Uint8Array.from([0xff, 0xfe]), { contentType: 'application/json', senderId: 'MSTONE', receivedAt })).toMatchObject({ ok: false });
  });
});

describe('vendor answers that are not the usual shape', () => {
  it('Graph: a non-JSON 502 is transient; permission codes keep 403; 190 is auth even with 400', async () => {
    await expect(vendorErrorFromGraph(new Response('<html>Bad Gateway</html>', { status: 502 }), 'x')).resolves.toBeInstanceOf(TransientVendorError);
    const permission = await vendorErrorFromGraph(Response.json({ error: { message: '(#10) Application does not have permission for this action', type: 'OAuthException', code: 10 } }, { status: 400 }), 'x');
    expect(permission).toBeInstanceOf(UnrecoverableVendorError);
    expect(permission?.status).toBe(403);
    await expect(vendorErrorFromGraph(Response.json({ error: { message: 'Session expired', code: 190 } }, { status: 400 }), 'x')).resolves.toBeInstanceOf(AuthExpiredError);
    await expect(vendorErrorFromGraph(Response.json({ error: { message: 'pair limit', code: 131056 } }, { status: 400 }), 'x')).resolves.toBeInstanceOf(RateLimitedError);
  });

  it('MSG91: a 200 with type error is still an error; an unreadable answer is refused with its status', () => {
    const ok200 = new Response(null, { status: 200 });
    expect(vendorErrorFromMsg91(ok200, '', { type: 'error', message: 'Invalid authkey', code: '207' }, 'x')).toBeInstanceOf(AuthExpiredError);
    expect(vendorErrorFromMsg91(ok200, '', { type: 'error', message: 'Insufficient balance', code: '301' }, 'x')).toBeInstanceOf(UnrecoverableVendorError);
    expect(vendorErrorFromMsg91(ok200, 'OK', undefined, 'x')).toBeInstanceOf(UnrecoverableVendorError);
    expect(vendorErrorFromMsg91(ok200, '', { type: 'success', message: 'abc' }, 'x')).toBeUndefined();
  });

  it('SMTP: 452 and socket errors are transient, 552 permanent, TLS failures a config problem', () => {
    expect(vendorErrorFromSmtp({ code: 'EENVELOPE', responseCode: 452, response: '452 4.2.2 Mailbox full', command: 'RCPT TO' })).toBeInstanceOf(TransientVendorError);
    expect(vendorErrorFromSmtp({ code: 'ESOCKET', message: 'read ECONNRESET' })).toBeInstanceOf(TransientVendorError);
    expect(vendorErrorFromSmtp({ code: 'EMESSAGE', responseCode: 552, response: '552 5.3.4 Message too big' })).toBeInstanceOf(UnrecoverableVendorError);
    expect(vendorErrorFromSmtp({ code: 'ETLS', message: 'wrong version number' }).message).toMatch(/secure=true with port 465/);
  });
});
