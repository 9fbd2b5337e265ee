import { z } from 'zod';
import { WEBHOOK_SCHEMES } from '../sdk/index.ts';

const optionName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { error: 'must be a letter then letters, digits or _' });

/** Config of a generic inbound webhook connection: which signature scheme its sender uses. */
export const webhookConfigSchema = z
  .strictObject({
    scheme: z.enum(WEBHOOK_SCHEMES).describe('How senders sign their requests'),
    signatureHeader: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be a header name' })
      .optional()
      .describe('For github-style HMAC senders that use another header than X-Hub-Signature-256'),
    options: z
      .record(optionName, z.union([z.string().max(500), z.number(), z.boolean()]))
      .optional()
      .describe("Options of the scheme's verifier, e.g. organizationId for salesforce-outbound"),
  })
  .superRefine((config, ctx) => {
    if (config.signatureHeader !== undefined && config.scheme !== 'github') {
      ctx.addIssue({ code: 'custom', path: ['signatureHeader'], message: `applies to the github scheme only; ${config.scheme} names its own headers` });
    }
  });

export type WebhookConfig = z.output<typeof webhookConfigSchema>;

/** A generic webhook source calls nothing, so it holds no credentials; its signing secrets live on the connection. */
export const webhookCredentialsSchema = z.strictObject({});
