import { defineConnector, UnrecoverableVendorError, type WebhookChange } from '../sdk/index.ts';
import { checkSmtp } from './check-smtp.ts';
import { emailConfigSchema, emailCredentialsSchema } from './email-settings.ts';
import { messageChanges } from './message-events.ts';
import { emailMessageObject } from './message-object.ts';
import { parseInboundEmail } from './parse-inbound-email.ts';
import { sendEmail, type EmailOutboundMessage } from './send-email.ts';
import { smtpAddressPolicy } from './smtp-socket.ts';

/**
 * Email over SMTP (nodemailer). Sends with a Message-ID derived from the idempotency key, reads
 * replies and bounces that an inbound-mail provider posts (raw MIME, JSON or form), signed with
 * Standard Webhooks (Resend, Svix-based senders) or a GitHub-style HMAC header.
 */
export const emailConnector = defineConnector({
  id: 'email',
  displayName: 'Email (SMTP)',
  description: 'Sends notifications and probes through an SMTP server and reads replies posted by an inbound-mail service.',
  configSchema: emailConfigSchema,
  credentialsSchema: emailCredentialsSchema,
  objects: { message: emailMessageObject },
  examples: () => [
    { name: 'Zoho Mail (India)', config: { host: 'smtp.zoho.in', port: 465, secure: true, from: 'Projects <projects@example.in>' } },
    { name: 'Gmail / Google Workspace', config: { host: 'smtp.gmail.com', port: 587, secure: false, requireTls: true, from: 'projects@example.in' } },
    { name: 'Office 365', config: { host: 'smtp.office365.com', port: 587, secure: false, requireTls: true, from: 'projects@example.in' } },
  ],
  check: checkSmtp,
  capabilities: {
    messages: {
      send: (ctx, message: EmailOutboundMessage) =>
        sendEmail({ config: ctx.config, credentials: ctx.credentials, message, policy: smtpAddressPolicy(ctx), signal: ctx.signal }),
      parseInbound: async (input) => {
        const result = await parseInboundEmail(input);
        if (!result.ok) throw new UnrecoverableVendorError(0, '', { message: `email: ${result.error.message}` });
        return result.messages;
      },
    },
    webhook: {
      schemes: ['standard-webhooks', 'github'],
      parse: async (input) => {
        const result = await parseInboundEmail(input);
        if (!result.ok) return result;
        const ignored: WebhookChange[] = result.ignored.map((i) => ({ eventId: i.messageId, type: 'message.ignored', object: 'message', id: i.messageId, data: i }));
        return { ok: true, changes: [...messageChanges(result.messages, result.statuses), ...ignored] };
      },
    },
  },
});
