import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { msg91Connector, parseMsg91Report, type DeliveryStatusUpdate } from '../../connectors/msg91/index.ts';
import { AuthExpiredError, RateLimitedError, TransientVendorError, UnrecoverableVendorError, type OutboundHttp, type OutboundMessage } from '../../connectors/sdk/index.ts';
import { MSG91_REPORT, startMsg91Fake, type Msg91Fake } from '../fakes/msg91/index.ts';
import { channelContext, loopbackOutbound } from './channel-context.ts';

let msg91: Msg91Fake;
let outbound: OutboundHttp;
let reportServer: ReturnType<typeof serve>;
let reportUrl = '';
const reports: DeliveryStatusUpdate[] = [];

const config = () => ({
  baseUrl: msg91.url,
  senderId: 'MSTONE',
  textTemplate: 'notice',
  templates: [
    { name: 'status-probe', templateId: '64f1c0ffee0000000000a001', dltTemplateId: '1107171234567890123', variables: ['VAR1', 'VAR2'] },
    { name: 'notice', templateId: '64f1c0ffee0000000000a002', dltTemplateId: '1107171234567890124' },
  ],
});
const ctx = (credentials: unknown = { authKey: msg91.authKey }) => channelContext(msg91Connector, { config: config(), credentials, outbound });
const send = (message: OutboundMessage, context = ctx()) => msg91Connector.sendMessage!(context, message);
const probe: OutboundMessage = {
  to: '09876543210',
  text: 'Status of Foundation pour?',
  idempotencyKey: 'probe:ms-42:msg91',
  template: { name: 'status-probe', language: 'en', parameters: ['Foundation pour', 'https://hub.example.in/p/7Kq2'] },
};

beforeAll(async () => {
  msg91 = await startMsg91Fake();
  outbound = loopbackOutbound();
  // Stands in for the hub's webhook route, to read what MSG91 posts (the hub checks the url-token first).
  const app = new Hono();
  app.post('/dlr', async (c) => {
    const parsed = parseMsg91Report(new Uint8Array(await c.req.arrayBuffer()), { contentType: c.req.header('content-type'), senderId: 'MSTONE', receivedAt: new Date() });
    if (!parsed.ok) return c.body(null, 400);
    reports.push(...parsed.statuses);
    return c.body(null, 200);
  });
  reportServer = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  reportUrl = `http://127.0.0.1:${(reportServer.address() as AddressInfo).port}/dlr`;
});
afterEach(() => {
  reports.length = 0;
});
afterAll(async () => {
  outbound.close();
  await msg91.close();
  await new Promise((resolve) => reportServer.close(resolve));
});

describe('MSG91 Flow API against the fake', () => {
  it('sends the DLT template with its variables to 91XXXXXXXXXX, with the authkey header', async () => {
    const sent = await send(probe);
    expect(sent).toEqual({ messageId: expect.stringMatching(/^[0-9a-f]{24}$/), status: 'queued', dltTemplateId: '1107171234567890123' });
    const request = msg91.requests.find((r) => r.requestId === sent.messageId)!;
    expect(request.authkey).toBe(msg91.authKey);
    expect(request.body).toEqual({ template_id: '64f1c0ffee0000000000a001', short_url: '0', recipients: [{ mobiles: '919876543210', VAR1: 'Foundation pour', VAR2: 'https://hub.example.in/p/7Kq2' }] });
    expect(msg91.sms.find((s) => s.requestId === sent.messageId)).toMatchObject({
      senderId: 'MSTONE',
      mobile: '919876543210',
      text: 'Acme: status of Foundation pour? Reply 1 on track, 2 delayed, 3 done. https://hub.example.in/p/7Kq2 -MSTONE',
    });
  });

  it('sends a message without a template through the one-variable text template', async () => {
    const sent = await send({ to: '+91 98765 43210', text: 'Invoice INV-2025-0042 for ₹1,18,000 is due on 15 Apr.', idempotencyKey: 'notice:1' });
    expect(msg91.sms.find((s) => s.requestId === sent.messageId)?.text).toBe('Acme: Invoice INV-2025-0042 for ₹1,18,000 is due on 15 Apr. -MSTONE');
  });

  it('maps delivery reports (v2 form and v3 JSON) to statuses', async () => {
    const delivered = await send({ ...probe, idempotencyKey: 'a', to: '9876500001' });
    const ndnc = await send({ ...probe, idempotencyKey: 'b', to: '9876500002' });
    expect(await msg91.report({ url: reportUrl, requestId: delivered.messageId, outcome: MSG91_REPORT.submitted })).toBe(200);
    expect(await msg91.report({ url: reportUrl, requestId: delivered.messageId, outcome: MSG91_REPORT.delivered, version: 'v3' })).toBe(200);
    expect(await msg91.report({ url: reportUrl, requestId: ndnc.messageId, outcome: MSG91_REPORT.ndnc, failedReason: 'Number registered in NDNC' })).toBe(200);
    expect(reports).toMatchObject([
      { messageId: delivered.messageId, status: 'sent', recipient: '+919876500001' },
      { messageId: delivered.messageId, status: 'delivered', recipient: '+919876500001' },
      { messageId: ndnc.messageId, status: 'failed', recipient: '+919876500002', error: { code: '9', permanent: true, message: 'Number registered in NDNC' } },
    ]);
    expect(reports[0]!.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
  });

  it('discards an identical retry within 10 s as MSG91 does, and says the first was taken', async () => {
    const message = { ...probe, idempotencyKey: 'dup', to: '9876500003' };
    await send(message);
    const error = await send(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableVendorError);
    expect((error as Error).message).toMatch(/code 311.*not sent again/);
    expect(msg91.sms.filter((s) => s.mobile === '919876500003')).toHaveLength(1);
  });

  describe('MSG91 errors become named errors', () => {
    it('a wrong auth key is AuthExpiredError', async () => {
      await expect(send(probe, ctx({ authKey: 'wrong-auth-key' }))).rejects.toThrow(AuthExpiredError);
    });

    it('202 invalid mobile and an unknown template are UnrecoverableVendorError', async () => {
      msg91.failNext({ status: 400, message: 'Invalid mobile number.', code: '202' });
      await expect(send({ ...probe, idempotencyKey: 'c' })).rejects.toThrow(/Invalid mobile number\. \[code 202\]/);
      msg91.failNext({ status: 200, message: 'Template ID Missing or Invalid Template' });
      await expect(send({ ...probe, idempotencyKey: 'd' })).rejects.toBeInstanceOf(UnrecoverableVendorError);
    });

    it('429 is RateLimitedError, 5xx TransientVendorError, 418 (IP) an authorisation refusal', async () => {
      msg91.failNext({ status: 429, message: 'Too many requests' });
      await expect(send({ ...probe, idempotencyKey: 'e' })).rejects.toBeInstanceOf(RateLimitedError);
      msg91.failNext({ status: 502, message: 'Bad gateway' });
      await expect(send({ ...probe, idempotencyKey: 'f' })).rejects.toBeInstanceOf(TransientVendorError);
      msg91.failNext({ status: 418, message: 'IP not whitelisted', code: '418' });
      await expect(send({ ...probe, idempotencyKey: 'g' })).rejects.toMatchObject({ status: 403, message: expect.stringContaining('whitelist') });
    });

    it('refuses what DLT cannot carry before calling: unknown template, wrong parameter count, no text template', async () => {
      const before = msg91.requests.length;
      await expect(send({ ...probe, template: { name: 'marketing', language: 'en', parameters: [] } })).rejects.toThrow(/no template named "marketing"/);
      await expect(send({ ...probe, template: { name: 'status-probe', language: 'en', parameters: ['only one'] } })).rejects.toThrow(/takes 2 parameters/);
      const noText = channelContext(msg91Connector, { config: { ...config(), textTemplate: undefined }, credentials: { authKey: msg91.authKey }, outbound });
      await expect(send({ to: probe.to, text: 'hello', idempotencyKey: 'h' }, noText)).rejects.toThrow(/DLT template/);
      await expect(send({ ...probe, to: '12345' })).rejects.toThrow(/not a phone number/);
      expect(msg91.requests.length).toBe(before);
    });
  });

  it('checks a connection by reading the balance', async () => {
    await expect(msg91Connector.check(ctx())).resolves.toEqual({ ok: true, message: 'transactional balance 5000 SMS; sender MSTONE' });
    await expect(msg91Connector.check(ctx({ authKey: 'wrong-auth-key' }))).resolves.toMatchObject({ ok: false, code: 'auth_failed' });
  });

  it('validates config: 6-letter sender, 19-digit DLT id, a one-variable text template', () => {
    const bad = msg91Connector.parseConfig({ senderId: 'ACME', textTemplate: 'probe', templates: [{ name: 'probe', templateId: '64f1c0ffee0000000000a001', dltTemplateId: '123', variables: ['VAR1', 'VAR2'] }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => i.path).sort()).toEqual(['senderId', 'templates[0].dltTemplateId', 'textTemplate']);
    const twoVars = msg91Connector.parseConfig({ senderId: 'MSTONE', textTemplate: 'probe', templates: [{ name: 'probe', templateId: '64f1c0ffee0000000000a001', dltTemplateId: '1107171234567890123', variables: ['VAR1', 'VAR2'] }] });
    expect(twoVars).toMatchObject({ ok: false, issues: [{ path: 'textTemplate', message: 'the text template must have exactly one variable' }] });
  });
});
