import { z } from 'zod';
import { CHANNELS, NOTIFICATION_LOCALES, TEMPLATE_KEY_LIST, URGENCIES } from '../../core/notifications/index.ts';
import type { Channel, MessageValues, NotificationLocale, TemplateKey, Urgency } from '../../core/notifications/index.ts';

/** Who to send to: a person (the usual case), an ad-hoc contact, or one fixed address. */
export type NotificationTarget =
  | { personId: string }
  | { contact: { name?: string; email?: string; phone?: string; whatsapp?: string; locale?: string; channels?: Channel[] } }
  | { address: { channel: Channel; to: string; name?: string } };

/** A file for email notifications (invoices); other channels send the text with `link`. */
export interface NotificationAttachmentInput {
  filename: string;
  contentType: string;
  contentBase64: string;
}

/** What a caller asks for. See README.md for the semantics of each field. */
export interface NotificationRequest {
  tenantId: string;
  /** The business key (`probe:prb_1:attempt:1`); a second request with it returns the first notification. */
  dedupeKey: string;
  /** `probe`, `escalation`, `invoice`, `clarification`, `reminder`, `ack`, `manual` or your own word. */
  purpose: string;
  recipient: NotificationTarget;
  templateKey: TemplateKey;
  /** Overrides the person's language. */
  locale?: NotificationLocale;
  /** Placeholder values: milestone.title, project.name, owner.name, amount (paise), dueDate, ... */
  vars?: MessageValues;
  /** Shown as `{{link}}`; same as `vars.link`. */
  link?: string;
  urgency?: Urgency;
  /** Only these channels, in this order (a reply on the channel the person wrote on). */
  channels?: Channel[];
  /** A provider message id or email Message-ID to thread the message onto (answers to replies). */
  inReplyTo?: string;
  milestoneId?: string;
  projectId?: string;
  probeId?: string;
  escalationId?: string;
  invoiceId?: string;
  attachments?: NotificationAttachmentInput[];
  /** Not before this instant (quiet hours still apply after it). */
  notBefore?: Date;
  requestedBy?: { kind: string; id: string };
}

const id = z.string().min(1).max(100);
const channel = z.enum(CHANNELS);

const valuesSchema = z
  .object({
    'milestone.title': z.string().max(500).optional(),
    'project.name': z.string().max(500).optional(),
    'owner.name': z.string().max(200).optional(),
    'recipient.name': z.string().max(200).optional(),
    'client.name': z.string().max(200).optional(),
    'tenant.name': z.string().max(200).optional(),
    amount: z.number().int().optional(),
    dueDate: z.union([z.date(), z.string().max(40)]).optional(),
    newDueDate: z.union([z.date(), z.string().max(40)]).optional(),
    replyOptions: z.string().max(1000).optional(),
    link: z.string().max(2000).optional(),
    probeRef: z.string().max(50).optional(),
    percentComplete: z.number().optional(),
    expectedPercent: z.number().optional(),
    'invoice.number': z.string().max(100).optional(),
    'escalation.level': z.number().optional(),
    'escalation.reason': z.string().max(1000).optional(),
    'rule.name': z.string().max(200).optional(),
    daysOverdue: z.number().optional(),
    variables: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/), z.string().max(2000)).optional(),
  })
  .strict();

/** Checks a {@link NotificationRequest}; the API builds its own schema from the same rules. */
export const notificationRequestSchema = z
  .object({
    tenantId: id,
    dedupeKey: z.string().min(1).max(300),
    purpose: z.string().regex(/^[a-z][a-z0-9_.-]{0,39}$/, 'a lower-case word such as probe, escalation or invoice'),
    recipient: z.union([
      z.object({ personId: id }).strict(),
      z
        .object({
          contact: z
            .object({
              name: z.string().max(200).optional(),
              email: z.string().max(254).optional(),
              phone: z.string().max(30).optional(),
              whatsapp: z.string().max(30).optional(),
              locale: z.string().max(35).optional(),
              channels: z.array(channel).max(3).optional(),
            })
            .strict(),
        })
        .strict(),
      z.object({ address: z.object({ channel, to: z.string().min(3).max(320), name: z.string().max(200).optional() }).strict() }).strict(),
    ]),
    templateKey: z.enum(TEMPLATE_KEY_LIST),
    locale: z.enum(NOTIFICATION_LOCALES).optional(),
    vars: valuesSchema.optional(),
    link: z.string().regex(/^https?:\/\/\S+$/i, 'an http(s) URL').max(2000).optional(),
    urgency: z.enum(URGENCIES).optional(),
    channels: z.array(channel).min(1).max(3).optional(),
    inReplyTo: z.string().min(1).max(998).optional(),
    milestoneId: id.optional(),
    projectId: id.optional(),
    probeId: id.optional(),
    escalationId: id.optional(),
    invoiceId: id.optional(),
    attachments: z
      .array(
        z
          .object({
            filename: z.string().min(1).max(200).regex(/^[^/\\\r\n]+$/, 'a file name without slashes'),
            contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'a media type such as application/pdf'),
            contentBase64: z.string().max(14_000_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
          })
          .strict(),
      )
      .max(5)
      .optional(),
    notBefore: z.date().optional(),
    requestedBy: z.object({ kind: z.string().max(40), id: z.string().max(100) }).strict().optional(),
  })
  .strict();
