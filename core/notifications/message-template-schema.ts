import { z } from 'zod';
import { CHANNELS, NOTIFICATION_LOCALES } from './channels.ts';
import { PLACEHOLDER_NAME } from './placeholders.ts';
import { TEMPLATE_KEY_LIST } from './template-keys.ts';

const parameterSchema = z.strictObject({
  type: z.literal('text'),
  /** May hold placeholders; rendered as plain text with line breaks flattened (Cloud API rule). */
  text: z.string().min(1).max(1024),
});

const componentSchema = z.strictObject({
  type: z.enum(['header', 'body', 'button']),
  sub_type: z.enum(['quick_reply', 'url']).optional(),
  index: z.string().regex(/^[0-9]$/).optional(),
  parameters: z.array(parameterSchema).max(20),
});

/**
 * An approved WhatsApp Cloud API message template, for messages sent outside the 24-hour
 * customer-service window. The approved text lives at Meta; `components` say which values fill
 * its `{{1}}`, `{{2}}` … in order.
 */
export const whatsappTemplateSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'lowercase letters, digits and underscores, as Meta requires'),
  language: z.string().regex(/^[a-z]{2,3}(?:_[A-Z]{2})?$/, 'a Cloud API language code such as en, en_US or hi'),
  components: z.array(componentSchema).max(10).default([]),
});

/**
 * A message template for one key, channel and locale. Placeholders are written
 * `{{milestone.title}}`; see `PLACEHOLDERS` for the vocabulary and `variables` to declare more.
 */
export const messageTemplateSchema = z.strictObject({
  key: z.enum(TEMPLATE_KEY_LIST),
  channel: z.enum(CHANNELS),
  locale: z.enum(NOTIFICATION_LOCALES),
  /** Email only, and required there. Plain text; line breaks are removed when rendering. */
  subject: z.string().min(1).max(250).optional(),
  /** WhatsApp allows 4,096 characters in a text message. */
  body: z.string().min(1).max(4096),
  /** Email only: whether `body` is plain text (the default) or HTML. */
  format: z.enum(['text', 'html']).optional(),
  /** `full` prints ₹12,50,000; `compact` prints ₹12.5 L (₹12.5 लाख in Hindi). @default 'full' */
  amountStyle: z.enum(['full', 'compact']).optional(),
  whatsappTemplate: whatsappTemplateSchema.optional(),
  /** SMS only: the template id registered on the DLT platform (TRAI), needed by MSG91 in India. */
  dltTemplateId: z.string().regex(/^\d{15,25}$/, 'a DLT template id is 15 to 25 digits').optional(),
  /** Extra placeholder names this template uses, filled from `values.variables` at render time. */
  variables: z.array(z.string().regex(PLACEHOLDER_NAME)).max(20).optional(),
});

/** A parsed message template. */
export type MessageTemplate = z.output<typeof messageTemplateSchema>;

/** What {@link messageTemplateSchema} accepts. */
export type MessageTemplateInput = z.input<typeof messageTemplateSchema>;

/** The WhatsApp Cloud API template part of a {@link MessageTemplate}. */
export type WhatsAppTemplateSpec = z.output<typeof whatsappTemplateSchema>;
