import { DEFAULT_TIME_ZONE, formatInr, isPaise, tzFormat } from '../money/index.ts';
import type { DigitSystem } from '../money/index.ts';
import type { NotificationLocale } from './channels.ts';
import { escapeHtml, htmlToText, textToHtml } from './html-escape.ts';
import type { MessageTemplate } from './message-template-schema.ts';
import { isPlaceholderName, PLACEHOLDERS, substitutePlaceholders } from './placeholders.ts';
import { countSmsSegments } from './sms-segments.ts';
import type { SmsSegmentInfo } from './sms-segments.ts';
import { parseIsoDate } from './zoned-time.ts';

/**
 * The values a message is rendered with, under the placeholder names. Amounts are integer
 * paise; dates are instants or `YYYY-MM-DD` calendar dates; percents are numbers.
 */
export interface MessageValues {
  'milestone.title'?: string;
  'project.name'?: string;
  'owner.name'?: string;
  'recipient.name'?: string;
  'client.name'?: string;
  'tenant.name'?: string;
  amount?: number;
  dueDate?: Date | string;
  newDueDate?: Date | string;
  replyOptions?: string;
  link?: string;
  probeRef?: string;
  percentComplete?: number;
  expectedPercent?: number;
  'invoice.number'?: string;
  'escalation.level'?: number;
  'escalation.reason'?: string;
  'rule.name'?: string;
  daysOverdue?: number;
  /** Values for the template's declared `variables`. */
  variables?: Readonly<Record<string, string>>;
}

/** Options for {@link renderMessage}. */
export interface RenderOptions {
  /** The tenant's zone, for dates. @default 'Asia/Kolkata' */
  timeZone?: string;
  /** Digits for amounts and dates. @default 'latn' */
  digits?: DigitSystem;
}

/** A WhatsApp Cloud API `template` object, ready for the `messages` endpoint. */
export interface WhatsAppTemplatePayload {
  name: string;
  language: { code: string };
  components: Array<{ type: string; sub_type?: string; index?: string; parameters: Array<{ type: 'text'; text: string }> }>;
}

/** A rendered message for its channel. */
export type RenderedMessage =
  | { channel: 'email'; subject: string; text: string; html: string }
  | { channel: 'whatsapp'; text: string; template?: WhatsAppTemplatePayload }
  | { channel: 'sms'; text: string; dltTemplateId?: string; sms: SmsSegmentInfo };

/** Why a message could not be rendered. */
export type RenderError =
  | { code: 'missing-values'; message: string; placeholders: string[] }
  | { code: 'invalid-values'; message: string; placeholders: string[] };

/** The outcome of {@link renderMessage}. */
export type RenderResult = { ok: true; value: RenderedMessage } | { ok: false; error: RenderError };

type Mode = 'plain' | 'html' | 'line' | 'parameter';

/**
 * Renders a validated template. Amounts print in rupees with lakh/crore grouping in the
 * template's language (`Rs` instead of `₹` in English SMS, which keeps them in GSM-7); dates
 * print in the tenant's zone. Values are HTML-escaped in HTML email bodies, stripped of line
 * breaks in subjects and WhatsApp template parameters, and inserted as they are elsewhere.
 * A placeholder without a value is an error: no message goes out saying `{{owner.name}}`.
 */
export function renderMessage(template: MessageTemplate, values: MessageValues, options: RenderOptions = {}): RenderResult {
  const formatted = new Map<string, string>();
  const missing = new Set<string>();
  const invalid = new Set<string>();
  const valueOf = (name: string): string => {
    const cached = formatted.get(name);
    if (cached !== undefined) return cached;
    const text = formatValue(name, template, values, options);
    if (text === undefined) missing.add(name);
    else if (text === null) invalid.add(name);
    const result = text ?? '';
    formatted.set(name, result);
    return result;
  };
  const fill = (text: string, mode: Mode): string =>
    substitutePlaceholders(text, (name) => {
      const value = valueOf(name);
      switch (mode) {
        case 'html':
          return escapeHtml(value);
        case 'line':
          return value.replace(/[\r\n]+/g, ' ');
        case 'parameter':
          // The Cloud API refuses parameters with line breaks, tabs or more than four spaces in a row.
          return value.replace(/[\r\n\t]+/g, ' ').replace(/ {4,}/g, '   ');
        default:
          return value;
      }
    });

  let message: RenderedMessage;
  if (template.channel === 'email') {
    const subject = fill(template.subject ?? '', 'line').replace(/[\r\n]+/g, ' ').trim();
    if (template.format === 'html') {
      const html = fill(template.body, 'html');
      message = { channel: 'email', subject, text: htmlToText(html), html };
    } else {
      const text = fill(template.body, 'plain');
      message = { channel: 'email', subject, text, html: textToHtml(text) };
    }
  } else if (template.channel === 'whatsapp') {
    const text = fill(template.body, 'plain');
    const spec = template.whatsappTemplate;
    message = spec
      ? {
          channel: 'whatsapp',
          text,
          template: {
            name: spec.name,
            language: { code: spec.language },
            components: spec.components.map((component) => ({
              type: component.type,
              ...(component.sub_type !== undefined ? { sub_type: component.sub_type } : {}),
              ...(component.index !== undefined ? { index: component.index } : {}),
              parameters: component.parameters.map((parameter) => ({ type: 'text' as const, text: fill(parameter.text, 'parameter') })),
            })),
          },
        }
      : { channel: 'whatsapp', text };
  } else {
    const text = fill(template.body, 'plain');
    message = { channel: 'sms', text, sms: countSmsSegments(text), ...(template.dltTemplateId !== undefined ? { dltTemplateId: template.dltTemplateId } : {}) };
  }

  if (missing.size > 0) {
    const placeholders = [...missing];
    return { ok: false, error: { code: 'missing-values', placeholders, message: `no value for ${placeholders.map((p) => `{{${p}}}`).join(', ')}` } };
  }
  if (invalid.size > 0) {
    const placeholders = [...invalid];
    return { ok: false, error: { code: 'invalid-values', placeholders, message: `values of the wrong kind for ${placeholders.map((p) => `{{${p}}}`).join(', ')}` } };
  }
  return { ok: true, value: message };
}

/** The text for one placeholder: undefined when there is no value, null when it is of the wrong kind. */
function formatValue(name: string, template: MessageTemplate, values: MessageValues, options: RenderOptions): string | undefined | null {
  if (!isPlaceholderName(name)) {
    const value = values.variables?.[name];
    return typeof value === 'string' ? value : undefined;
  }
  const value: unknown = values[name];
  if (value === undefined || value === null) return undefined;
  const locale = template.locale;
  const digits = options.digits ?? 'latn';
  switch (PLACEHOLDERS[name].kind) {
    case 'amount':
      return typeof value === 'number' && isPaise(value) ? formatAmount(value, template, locale, digits) : null;
    case 'date':
      return formatDate(value, locale, options.timeZone ?? DEFAULT_TIME_ZONE, digits);
    case 'percent':
      return typeof value === 'number' && Number.isFinite(value) ? `${Math.round(value)}%` : null;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
    case 'url':
      return typeof value === 'string' && /^https?:\/\/\S+$/i.test(value) ? value : null;
    default:
      return typeof value === 'string' ? value : null;
  }
}

function formatAmount(paise: number, template: MessageTemplate, locale: NotificationLocale, digits: DigitSystem): string {
  const compact = template.amountStyle === 'compact';
  const inrLocale = locale === 'hi' ? 'hi-IN' : 'en-IN';
  // ₹ is outside GSM-7: one rupee sign would turn an English SMS into UCS-2 and halve its length.
  if (template.channel === 'sms' && locale === 'en') {
    return `Rs ${formatInr(paise, { symbol: false, dropZeroPaise: true, compact, locale: inrLocale, digits })}`;
  }
  return formatInr(paise, { dropZeroPaise: true, compact, locale: inrLocale, digits });
}

function formatDate(value: unknown, locale: NotificationLocale, timeZone: string, digits: DigitSystem): string | null {
  const inrLocale = locale === 'hi' ? 'hi-IN' : 'en-IN';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return tzFormat(value, { timeZone, locale: inrLocale, digits });
  }
  if (typeof value === 'string') {
    const parts = parseIsoDate(value);
    if (!parts) return null;
    // A calendar date has no zone: print the same day everywhere.
    return tzFormat(new Date(Date.UTC(parts.year, parts.month - 1, parts.day, 12)), { timeZone: 'UTC', locale: inrLocale, digits });
  }
  return null;
}
