import { z } from 'zod';

/** A `whatsapp-cloud` connection's config: which Graph API, version and business phone number. */
export const whatsappCloudConfigSchema = z.strictObject({
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('https://graph.facebook.com')
    .describe('Graph API base URL; point it at a local fake in tests'),
  apiVersion: z
    .string()
    .regex(/^v\d{1,3}\.\d$/, { error: 'must look like v21.0' })
    .default('v21.0')
    .describe('Graph API version the requests name'),
  phoneNumberId: z.string().regex(/^\d{5,20}$/, { error: 'must be the numeric phone number id from WhatsApp Manager' }).describe('Business phone number id (not the phone number)'),
  businessAccountId: z.string().regex(/^\d{5,20}$/, { error: 'must be the numeric WhatsApp Business Account id' }).optional(),
  defaultLanguage: z
    .string()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, { error: 'must be a template language code such as en, en_US or hi' })
    .default('en')
    .describe('Template language when a message names none'),
});

/** Parsed `whatsapp-cloud` config. */
export type WhatsAppCloudConfig = z.output<typeof whatsappCloudConfigSchema>;

/** A system-user access token for sending; the app secret that signs webhooks (scheme `meta`). */
export const whatsappCloudCredentialsSchema = z.strictObject({
  accessToken: z.string().min(1).max(2048),
  appSecret: z.string().min(1).max(256),
});

/** Parsed `whatsapp-cloud` credentials. */
export type WhatsAppCloudCredentials = z.output<typeof whatsappCloudCredentialsSchema>;
