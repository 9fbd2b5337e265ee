import { z } from 'zod';

/** A `whatsapp-web` connection's config: how it links. The session itself lives in the data dir. */
export const whatsappWebConfigSchema = z
  .strictObject({
    linkWith: z.enum(['qr', 'pairing-code']).default('qr').describe('Scan a QR code, or type a pairing code on the phone'),
    phoneNumber: z
      .string()
      .regex(/^\+[1-9]\d{7,14}$/, { error: 'must be an E.164 number such as +919876543210' })
      .optional()
      .describe('The WhatsApp number to link; required for pairing-code linking'),
    deviceName: z.string().min(1).max(40).default('Milestone Hub').describe('Name shown under Linked devices on the phone'),
  })
  .refine((c) => c.linkWith !== 'pairing-code' || c.phoneNumber !== undefined, { error: 'pairing-code linking needs phoneNumber', path: ['phoneNumber'] });

/** Parsed `whatsapp-web` config. */
export type WhatsAppWebConfig = z.output<typeof whatsappWebConfigSchema>;

/** Nothing: the linked session is stored under the data dir by whatsapp-web.js, not as credentials. */
export const whatsappWebCredentialsSchema = z.strictObject({});

/** Parsed `whatsapp-web` credentials. */
export type WhatsAppWebCredentials = z.output<typeof whatsappWebCredentialsSchema>;
