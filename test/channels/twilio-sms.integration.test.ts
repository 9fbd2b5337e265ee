import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthExpiredError, RateLimitedError, TransientVendorError, UnrecoverableVendorError, type OutboundHttp, type OutboundMessage } from '../../connectors/sdk/index.ts';
import { twilioConnector } from '../../connectors/twilio/index.ts';
import { signTwilio, verifiers } from '../../webhooks/verifiers/index.ts';
import { startTwilioFake, TWILIO_FAULTS, type TwilioFake } from '../fakes/twilio/index.ts';
import { channelContext, loopbackOutbound } from './channel-context.ts';
import { startSignedWebhookReceiver, type SignedWebhookReceiver } from './signed-webhook-receiver.ts';

const apiKey = { sid: 'SK0123456789abcdef0123456789abcdef', secret: 'fake-api-key-secret' };
let twilio: TwilioFake;
let receiver: SignedWebhookReceiver;
let outbound: OutboundHttp;

const config = () => ({ baseUrl: twilio.url, accountSid: twilio.accountSid, from: '+14155550100', statusCallbackUrl: receiver.url });
const ctx = (credentials: unknown = { authToken: twilio.authToken }) => channelContext(twilioConnector, { config: config(), credentials, outbound });
const send = (message: OutboundMessage, context = ctx()) => twilioConnector.sendMessage!(context, message);
const probe: OutboundMessage = { to: '98765 43210', text: 'Foundation pour: reply 1 on track, 2 delayed, 3 done.', idempotencyKey: 'probe:ms-42:sms' };

beforeAll(async () => {
  twilio = await startTwilioFake({ apiKeys: [apiKey], optedOut: ['+919811100000'] });
  outbound = loopbackOutbound();
  receiver = await startSignedWebhookReceiver({ connector: twilioConnector, config: {}, scheme: 'twilio', secret: twilio.authToken, path: '/v1/webhooks/conn-sms' });
});
afterAll(async () => {
  outbound.close();
  await twilio.close();
  await receiver.close();
});

describe('Twilio SMS against the fake Messages API', () => {
  it('posts To in E.164, From, Body and StatusCallback, form-encoded with Basic auth', async () => {
    const sent = await send(probe);
    expect(sent).toMatchObject({ messageId: expect.stringMatching(/^SM[0-9a-f]{32}$/), status: 'queued', segments: 1 });
    const message = twilio.messages.find((m) => m.sid === sent.messageId)!;
    expect(message.params).toEqual({ To: '+919876543210', Body: probe.text, From: '+14155550100', StatusCallback: receiver.url });
    expect(message.authorization).toBe(`Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`);
  });

  it('authenticates with an API key instead of the auth token when one is configured', async () => {
    const sent = await send(probe, ctx({ authToken: twilio.authToken, apiKeySid: apiKey.sid, apiKeySecret: apiKey.secret }));
    expect(twilio.messages.find((m) => m.sid === sent.messageId)!.authorization).toBe(`Basic ${Buffer.from(`${apiKey.sid}:${apiKey.secret}`).toString('base64')}`);
  });

  it('maps signed status callbacks: sent, delivered; undelivered 30005 is a permanent failure', async () => {
    const delivered = await send(probe);
    await twilio.advance(delivered.messageId, 'sent');
    await twilio.advance(delivered.messageId, 'delivered');
    const lost = await send({ ...probe, to: '+919800000001', idempotencyKey: 'probe:lost' });
    const callback = await twilio.advance(lost.messageId, 'undelivered', { errorCode: 30005 });
    expect(callback?.status).toBe(200);

    const statuses = receiver.changes().filter((c) => c.type === 'message.status');
    expect(statuses.filter((c) => c.id === delivered.messageId).map((c) => c.data)).toMatchObject([
      { messageId: delivered.messageId, status: 'sent', recipient: '+919876543210' },
      { messageId: delivered.messageId, status: 'delivered' },
    ]);
    expect(statuses.find((c) => c.id === lost.messageId)).toMatchObject({
      eventId: `${lost.messageId}:failed`,
      data: { status: 'failed', error: { code: '30005', permanent: true, message: 'unknown destination handset' } },
    });
  });

  it('verifies and parses a Twilio-signed inbound SMS', async () => {
    const { messageSid, delivery } = await twilio.simulateInbound({ url: receiver.url, from: '+919876543210', to: '+14155550100', body: '2 delayed - rains' });
    expect(delivery.status).toBe(200);
    expect(receiver.received.at(-1)).toMatchObject({ verified: true });
    expect(receiver.changes().find((c) => c.id === messageSid)).toMatchObject({
      type: 'message.received',
      data: { messageId: messageSid, from: '+919876543210', to: '+14155550100', text: '2 delayed - rains', segments: 1 },
    });
  });

  it('refuses an inbound SMS whose body was changed after signing', async () => {
    const params = { MessageSid: 'SM00000000000000000000000000000001', From: '+919876543210', To: '+14155550100', Body: '3 done', AccountSid: twilio.accountSid };
    const headers = signTwilio({ authToken: twilio.authToken, url: receiver.url, params });
    const res = await fetch(receiver.url, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...params, Body: '1 on track' }).toString() });
    expect(res.status).toBe(403);
    expect(receiver.received.at(-1)).toMatchObject({ verified: false, reason: 'bad_signature' });
  });

  describe('Twilio errors become named errors', () => {
    it('429 / 20429 is RateLimitedError with the Retry-After', async () => {
      twilio.failNext(TWILIO_FAULTS.tooManyRequests);
      const error = await send(probe).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterMs).toBe(2000);
      expect((error as Error).message).toContain('code 20429');
    });

    it('30001 queue overflow is RateLimitedError; 503 TransientVendorError', async () => {
      twilio.failNext(TWILIO_FAULTS.queueOverflow);
      await expect(send(probe)).rejects.toBeInstanceOf(RateLimitedError);
      twilio.failNext(TWILIO_FAULTS.serviceUnavailable);
      await expect(send(probe)).rejects.toBeInstanceOf(TransientVendorError);
    });

    it('21211 (invalid To) and 21610 (opted out) are UnrecoverableVendorError', async () => {
      const invalid = await send({ ...probe, to: '+0123456789' }).catch((e: unknown) => e);
      expect(invalid).toBeInstanceOf(UnrecoverableVendorError);
      expect((invalid as Error).message).toMatch(/Invalid 'To' Phone Number.*code 21211, https:\/\/www\.twilio\.com\/docs\/errors\/21211/);
      await expect(send({ ...probe, to: '+919811100000' })).rejects.toThrow(/unsubscribed recipient \[code 21610/);
    });

    it('a wrong auth token is AuthExpiredError', async () => {
      await expect(send(probe, ctx({ authToken: 'wrong' }))).rejects.toBeInstanceOf(AuthExpiredError);
    });

    it('an unusable number or an over-long text is refused before calling Twilio', async () => {
      const before = twilio.messages.length;
      await expect(send({ ...probe, to: 'asha@example.in' })).rejects.toBeInstanceOf(UnrecoverableVendorError);
      await expect(send({ ...probe, text: 'x'.repeat(1601) })).rejects.toThrow(/1600/);
      expect(twilio.messages.length).toBe(before);
    });
  });

  it('checks a connection by reading the account', async () => {
    await expect(twilioConnector.check(ctx())).resolves.toMatchObject({ ok: true, message: 'account Acme Projects is active' });
    await expect(twilioConnector.check(ctx({ authToken: 'wrong' }))).resolves.toMatchObject({ ok: false, code: 'auth_failed' });
  });

  it('needs a sender or a Messaging Service in its config', () => {
    const result = twilioConnector.parseConfig({ accountSid: twilio.accountSid });
    expect(result).toMatchObject({ ok: false, issues: [{ path: 'from', message: 'give from or messagingServiceSid' }] });
    expect(twilioConnector.parseConfig({ accountSid: 'AC123', from: '+14155550100' })).toMatchObject({ ok: false, issues: [{ path: 'accountSid' }] });
  });
});

describe('Twilio webhook verification with the published scheme', () => {
  it('accepts what signTwilio signs and parses it; rejects another URL', () => {
    const url = 'https://hub.example.in/v1/webhooks/conn-sms';
    const params = { MessageSid: 'SM0123456789abcdef0123456789abcdef', SmsStatus: 'received', From: '+919876543210', To: '+14155550100', Body: '1', AccountSid: 'AC0123456789abcdef0123456789abcdef' };
    const rawBody = new TextEncoder().encode(new URLSearchParams(params).toString());
    const headers = { ...signTwilio({ authToken: 'tok', url, params }), 'content-type': 'application/x-www-form-urlencoded' };
    const verdict = verifiers.twilio.verify({ rawBody, headers, url, secrets: [{ value: 'tok' }], now: new Date() });
    expect(verdict).toMatchObject({ ok: true, eventId: 'SM0123456789abcdef0123456789abcdef:received' });
    expect(verifiers.twilio.verify({ rawBody, headers, url: `${url}?x=1`, secrets: [{ value: 'tok' }], now: new Date() })).toMatchObject({ ok: false, reason: 'bad_signature' });
  });
});
