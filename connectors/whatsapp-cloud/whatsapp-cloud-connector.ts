import { defineConnector, UnrecoverableVendorError, type WebhookChange } from '../sdk/index.ts';
import type { WhatsAppOutboundMessage } from './build-message-request.ts';
import { checkWhatsAppCloud } from './check-whatsapp-cloud.ts';
import { messageChanges } from './message-events.ts';
import { whatsappMessageObject } from './message-object.ts';
import { parseWhatsAppWebhook } from './parse-whatsapp-webhook.ts';
import { sendWhatsAppCloud } from './send-whatsapp-cloud.ts';
import { whatsappCloudConfigSchema, whatsappCloudCredentialsSchema } from './whatsapp-cloud-settings.ts';

/**
 * The official WhatsApp Business Cloud API (Graph API over HTTPS): template, text and reply-button
 * messages out; messages and delivery statuses in by webhook, signed `X-Hub-Signature-256` with
 * the app secret (scheme `meta`).
 */
export const whatsappCloudConnector = defineConnector({
  id: 'whatsapp-cloud',
  displayName: 'WhatsApp (Cloud API)',
  description: "Meta's WhatsApp Business Cloud API: template messages, replies within 24 hours, delivery statuses and inbound replies by webhook.",
  configSchema: whatsappCloudConfigSchema,
  credentialsSchema: whatsappCloudCredentialsSchema,
  objects: { message: whatsappMessageObject },
  outboundUrls: (config) => [{ path: 'baseUrl', url: config.baseUrl }],
  rateLimits: [
    { requests: 80, perSeconds: 1, description: 'Cloud API default throughput per business phone number (messages per second)' },
    { requests: 1, perSeconds: 6, scope: 'account', description: 'Pair rate limit: about one message every 6 s to the same person (error 131056)' },
  ],
  check: checkWhatsAppCloud,
  capabilities: {
    messages: {
      send: (ctx, message: WhatsAppOutboundMessage) => sendWhatsAppCloud(ctx, message),
      parseInbound: (input, config) => {
        const result = parseWhatsAppWebhook(input.rawBody, { phoneNumberId: config.phoneNumberId, receivedAt: input.receivedAt });
        if (!result.ok) throw new UnrecoverableVendorError(0, '', { message: `whatsapp-cloud: ${result.error.message}` });
        return result.messages;
      },
    },
    webhook: {
      schemes: ['meta'],
      parse: (input, config) => {
        const result = parseWhatsAppWebhook(input.rawBody, { phoneNumberId: config.phoneNumberId, receivedAt: input.receivedAt });
        if (!result.ok) return result;
        const errors: WebhookChange[] = result.errors.map((e) => ({ type: 'whatsapp.error', data: e }));
        return { ok: true, changes: [...messageChanges(result.messages, result.statuses), ...errors] };
      },
    },
  },
});
