import { emailConnector } from '../../connectors/email/index.ts';
import { msg91Connector } from '../../connectors/msg91/index.ts';
import type { WebhookInput } from '../../connectors/sdk/index.ts';
import { twilioConnector } from '../../connectors/twilio/index.ts';
import { whatsappCloudConnector } from '../../connectors/whatsapp-cloud/index.ts';
import { createWhatsAppWebConnector, createWhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import { describeConformance } from '../connectors/conformance.ts';
import { startMsg91Fake } from '../fakes/msg91/index.ts';
import { startSmtpFake } from '../fakes/smtp/index.ts';
import { startTwilioFake } from '../fakes/twilio/index.ts';
import { inboundMessagePayload, startWhatsAppCloudFake, statusPayload } from '../fakes/whatsapp-cloud/index.ts';
import { FakeWhatsAppWebGateway } from './fake-whatsapp-web-gateway.ts';

const hook = (body: string, contentType: string): WebhookInput => ({ headers: { 'content-type': contentType }, rawBody: Buffer.from(body), receivedAt: new Date('2025-03-31T05:00:00Z') });

describeConformance({
  connector: emailConnector,
  holdsCredentials: true,
  setup: async () => {
    const smtp = await startSmtpFake({ auth: { user: 'hub@acme.in', pass: 'smtp-pass' } });
    const reply = ['From: Asha Rao <asha@example.in>', 'To: projects@acme.in', 'Subject: Re: Status', 'Message-ID: <r1@example.in>', 'In-Reply-To: <mh.1@acme.in>', '', '1'].join('\r\n');
    return {
      config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme Projects <projects@acme.in>' },
      credentials: { user: 'hub@acme.in', pass: 'smtp-pass' },
      badCredentials: { user: 'hub@acme.in', pass: 'not-the-pass' },
      webhook: {
        samples: [hook(reply, 'message/rfc822'), hook(JSON.stringify({ from: 'asha@example.in', to: 'projects@acme.in', subject: 'Re', text: '3 done', headers: {} }), 'application/json')],
        invalid: hook('GIF89a', 'image/gif'),
      },
      teardown: () => smtp.close(),
    };
  },
});

describeConformance({
  connector: whatsappCloudConnector,
  holdsCredentials: true,
  setup: async () => {
    const fake = await startWhatsAppCloudFake();
    const inbound = inboundMessagePayload(fake.business, { from: '919876543210', content: { type: 'text', body: '2 delayed' }, replyTo: 'wamid.PROBE' }).payload;
    const status = statusPayload(fake.business, { messageId: 'wamid.PROBE', recipient: '919876543210', status: 'delivered' });
    return {
      config: { baseUrl: fake.url, apiVersion: 'v21.0', phoneNumberId: fake.business.phoneNumberId },
      credentials: { accessToken: fake.accessToken, appSecret: fake.appSecret },
      badCredentials: { accessToken: 'expired-token', appSecret: fake.appSecret },
      webhook: { samples: [hook(JSON.stringify(inbound), 'application/json'), hook(JSON.stringify(status), 'application/json')], invalid: hook('{"entry":', 'application/json') },
      teardown: () => fake.close(),
    };
  },
});

describeConformance({
  connector: twilioConnector,
  holdsCredentials: true,
  setup: async () => {
    const twilio = await startTwilioFake();
    const form = (params: Record<string, string>) => hook(new URLSearchParams(params).toString(), 'application/x-www-form-urlencoded');
    return {
      config: { baseUrl: twilio.url, accountSid: twilio.accountSid, from: '+14155550100' },
      credentials: { authToken: twilio.authToken },
      badCredentials: { authToken: 'not-the-token' },
      webhook: {
        samples: [
          form({ MessageSid: 'SM1', SmsStatus: 'received', From: '+919876543210', To: '+14155550100', Body: '1' }),
          form({ MessageSid: 'SM2', MessageStatus: 'delivered', To: '+919876543210' }),
        ],
        invalid: hook('{"MessageSid":"SM3"}', 'application/json'),
      },
      fail: (status, retryAfter) => twilio.failNext({ status, code: status === 429 ? 20429 : 21211, message: 'fault', ...(retryAfter === undefined ? {} : { retryAfter }) }),
      teardown: () => twilio.close(),
    };
  },
});

describeConformance({
  connector: msg91Connector,
  holdsCredentials: true,
  setup: async () => {
    const msg91 = await startMsg91Fake();
    return {
      config: { baseUrl: msg91.url, senderId: 'MSTONE', templates: [{ name: 'notice', templateId: '64f1c0ffee0000000000a002', dltTemplateId: '1107171234567890124' }], textTemplate: 'notice' },
      credentials: { authKey: msg91.authKey },
      badCredentials: { authKey: 'not-the-auth-key' },
      webhook: {
        samples: [
          hook(new URLSearchParams({ data: JSON.stringify([{ senderId: 'MSTONE', requestId: '3563646a6c6b313131', report: [{ date: '2025-03-31 10:31:00', number: '919876543210', status: '1', desc: 'DELIVERED' }] }]) }).toString(), 'application/x-www-form-urlencoded'),
          hook(JSON.stringify({ date: '2025-03-31 10:31:00', number: '919876543210', senderId: 'MSTONE', requestId: '3563646a6c6b313132', status: '2', desc: 'FAILED' }), 'application/json'),
        ],
        invalid: hook('data=%5Bnot-json', 'application/x-www-form-urlencoded'),
      },
      teardown: () => msg91.close(),
    };
  },
});

const sessions = createWhatsAppWebSessions({ dataDir: 'unused-with-fake-gateways', createGateway: () => new FakeWhatsAppWebGateway('restore') });
describeConformance({
  connector: createWhatsAppWebConnector({ sessions }),
  holdsCredentials: false,
  setup: async () => {
    await sessions.open('conn_conformance');
    return { config: { linkWith: 'qr' }, credentials: {}, teardown: () => sessions.closeAll() };
  },
});
