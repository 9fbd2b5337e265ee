import { defineConnector, UnrecoverableVendorError } from '../sdk/index.ts';
import { checkTwilio } from './check-twilio.ts';
import { messageChanges } from './message-events.ts';
import { smsMessageObject } from './message-object.ts';
import { parseTwilioWebhook } from './parse-twilio-webhook.ts';
import { sendTwilioSms } from './send-twilio-sms.ts';
import { twilioConfigSchema, twilioCredentialsSchema } from './twilio-settings.ts';

/**
 * SMS through Twilio's Programmable Messaging API, or any provider that speaks it. Sends with
 * status callbacks; incoming messages and statuses arrive by webhook signed with the auth token
 * (scheme `twilio`).
 */
export const twilioConnector = defineConnector({
  id: 'twilio',
  displayName: 'SMS (Twilio)',
  description: 'Sends SMS through Twilio (or a Twilio-compatible API) and reads replies and delivery statuses from its webhooks.',
  configSchema: twilioConfigSchema,
  credentialsSchema: twilioCredentialsSchema,
  objects: { message: smsMessageObject },
  outboundUrls: (config) => [{ path: 'baseUrl', url: config.baseUrl }],
  rateLimits: [{ requests: 100, perSeconds: 1, scope: 'account', description: 'Twilio REST API concurrency; senders have their own throughput (1 segment/s for a long code)' }],
  check: checkTwilio,
  capabilities: {
    messages: {
      send: sendTwilioSms,
      parseInbound: (input) => {
        const result = parseTwilioWebhook(input.rawBody, { contentType: input.headers['content-type'], receivedAt: input.receivedAt });
        if (!result.ok) throw new UnrecoverableVendorError(0, '', { message: `twilio: ${result.error.message}` });
        return result.messages;
      },
    },
    webhook: {
      schemes: ['twilio'],
      parse: (input) => {
        const result = parseTwilioWebhook(input.rawBody, { contentType: input.headers['content-type'], receivedAt: input.receivedAt });
        return result.ok ? { ok: true, changes: messageChanges(result.messages, result.statuses) } : result;
      },
    },
  },
});
