import { z } from 'zod';

/** A `twilio` connection's config: the account, the sender and where status callbacks go. */
export const twilioConfigSchema = z
  .strictObject({
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('https://api.twilio.com').describe('Twilio REST base URL; a Twilio-compatible provider or a local fake'),
    accountSid: z.string().regex(/^AC[0-9a-f]{32}$/, { error: 'must be an Account SID (AC followed by 32 hex digits)' }),
    from: z
      .string()
      .regex(/^(\+[1-9]\d{7,14}|[A-Za-z0-9 ]{1,11})$/, { error: 'must be an E.164 number or an alphanumeric sender id of up to 11 characters' })
      .optional()
      .describe('Sender: a Twilio number or a registered sender id'),
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-f]{32}$/, { error: 'must be a Messaging Service SID (MG followed by 32 hex digits)' })
      .optional()
      .describe('Send through a Messaging Service instead of one sender'),
    statusCallbackUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional().describe("This connection's webhook URL, for delivery statuses"),
  })
  .refine((c) => c.from !== undefined || c.messagingServiceSid !== undefined, { error: 'give from or messagingServiceSid', path: ['from'] });

/** Parsed `twilio` config. */
export type TwilioConfig = z.output<typeof twilioConfigSchema>;

/**
 * The auth token (it also signs Twilio's webhooks), and optionally an API key that sends in its
 * place, so the token can stay out of the sending path.
 */
export const twilioCredentialsSchema = z
  .strictObject({
    authToken: z.string().min(1).max(256),
    apiKeySid: z.string().regex(/^SK[0-9a-f]{32}$/, { error: 'must be an API key SID (SK followed by 32 hex digits)' }).optional(),
    apiKeySecret: z.string().min(1).max(256).optional(),
  })
  .refine((c) => (c.apiKeySid === undefined) === (c.apiKeySecret === undefined), { error: 'give both apiKeySid and apiKeySecret, or neither', path: ['apiKeySecret'] });

/** Parsed `twilio` credentials. */
export type TwilioCredentials = z.output<typeof twilioCredentialsSchema>;
