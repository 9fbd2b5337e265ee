import { createHash } from 'node:crypto';
import { mapProviderStatus } from '../../core/notifications/index.ts';
import type { WebhookInput } from '../sdk/index.ts';
import { decodeMimeWords } from './decode-mime-words.ts';
import { messageIdsIn } from './email-message-id.ts';
import { htmlToText } from './html-to-text.ts';
import type { DeliveryStatusUpdate, EmailInboundMessage } from './message-events.ts';
import { parseAddressList } from './parse-address-list.ts';
import { parseEmail, type ParsedEmail } from './parse-email.ts';
import { parseHeaderBlock } from './parse-mime-entity.ts';
import { stripQuotedReply } from './strip-quoted-reply.ts';

/** What one inbound-mail webhook held. */
export type InboundEmailResult =
  | {
      ok: true;
      /** Replies written by people, quoted history removed. */
      messages: EmailInboundMessage[];
      /** Bounces, as failures of the messages they report on. */
      statuses: DeliveryStatusUpdate[];
      /** Messages sent by software (out-of-office, lists) that must not count as answers. */
      ignored: { messageId: string; reason: 'automated' }[];
    }
  | { ok: false; error: { code: 'invalid_body'; message: string } };

type Fields = (name: string) => string | undefined;

const RAW_TYPES = new Set(['message/rfc822', 'text/plain', 'application/octet-stream', 'message/global']);

function fail(message: string): InboundEmailResult {
  return { ok: false, error: { code: 'invalid_body', message } };
}

/** Headers given as a map, a list of pairs or `{ name, value }` objects, or a raw header block. */
function headersFrom(value: unknown): { name: string; value: string }[] {
  if (typeof value === 'string') return parseHeaderBlock(value);
  if (Array.isArray(value)) {
    return value.flatMap((item: unknown) => {
      if (Array.isArray(item) && typeof item[0] === 'string' && typeof item[1] === 'string') return [{ name: item[0].toLowerCase(), value: item[1] }];
      if (typeof item === 'object' && item !== null) {
        const rec = item as Record<string, unknown>;
        const name = rec['name'] ?? rec['Name'];
        const val = rec['value'] ?? rec['Value'];
        if (typeof name === 'string' && typeof val === 'string') return [{ name: name.toLowerCase(), value: val }];
      }
      return [];
    });
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value as Record<string, unknown>).flatMap(([name, val]) =>
      (Array.isArray(val) ? val : [val]).filter((v): v is string => typeof v === 'string').map((v) => ({ name: name.toLowerCase(), value: v })),
    );
  }
  return [];
}

/**
 * A message posted as fields (generic JSON `{ from, to, subject, text, html, headers }`, SendGrid's
 * parsed form, Mailgun's, Postmark's JSON): read the way a raw message would be.
 */
function emailFromFields(field: Fields, headerSource: unknown): ParsedEmail {
  const headers = headersFrom(headerSource).map((h) => ({ name: h.name, value: decodeMimeWords(h.value) }));
  const header = (name: string) => headers.find((h) => h.name === name)?.value;
  const fromText = field('from') ?? field('sender') ?? header('from') ?? '';
  const toText = field('to') ?? field('recipient') ?? header('to') ?? '';
  const subject = field('subject') ?? header('subject');
  const html = field('html') ?? field('htmlbody') ?? field('body-html');
  const text = field('text') ?? field('textbody') ?? field('body-plain') ?? (html === undefined ? '' : htmlToText(html));
  const messageId = messageIdsIn(field('message-id') ?? field('messageid') ?? header('message-id'))[0];
  const inReplyTo = messageIdsIn(field('in-reply-to') ?? header('in-reply-to'))[0];
  const from = parseAddressList(fromText)[0];
  const automatedHeader = header('auto-submitted');
  return {
    ...(messageId === undefined ? {} : { messageId }),
    ...(inReplyTo === undefined ? {} : { inReplyTo }),
    references: messageIdsIn(field('references') ?? header('references')),
    ...(from === undefined ? {} : { from }),
    to: parseAddressList(toText),
    ...(subject === undefined ? {} : { subject }),
    text,
    ...(html === undefined ? {} : { html }),
    attachments: [],
    headers,
    automated:
      (automatedHeader !== undefined && automatedHeader.trim().toLowerCase() !== 'no') ||
      /^(auto_reply|bulk|junk|list)$/i.test(header('precedence') ?? '') ||
      (from !== undefined && /^(mailer-daemon|postmaster)@/.test(from.address)),
  };
}

function fieldsOf(record: Record<string, unknown>): Fields {
  const lower = new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
  return (name) => {
    const value = lower.get(name);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
}

async function readBody(input: WebhookInput): Promise<ParsedEmail | string> {
  const contentType = (input.headers['content-type'] ?? 'message/rfc822').split(';')[0]!.trim().toLowerCase();
  if (RAW_TYPES.has(contentType)) return parseEmail(input.rawBody);
  if (contentType === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(input.rawBody));
    } catch {
      return 'the body is not valid UTF-8 JSON';
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the JSON body must be an object';
    const field = fieldsOf(body as Record<string, unknown>);
    const raw = field('raw') ?? field('email') ?? field('mime');
    if (raw !== undefined) return parseEmail(raw);
    const record = body as Record<string, unknown>;
    return emailFromFields(field, record['headers'] ?? record['Headers']);
  }
  if (contentType === 'multipart/form-data' || contentType === 'application/x-www-form-urlencoded') {
    let form: FormData;
    try {
      form = await new Response(Buffer.from(input.rawBody), { headers: { 'content-type': input.headers['content-type']! } }).formData();
    } catch {
      return 'the form body cannot be read';
    }
    const record: Record<string, unknown> = {};
    form.forEach((value, key) => {
      if (typeof value === 'string' && !(key.toLowerCase() in record)) record[key.toLowerCase()] = value;
    });
    const field = fieldsOf(record);
    // SendGrid's "raw" mode posts the whole message as `email`.
    const raw = field('email');
    if (raw !== undefined && raw.includes('\n')) return parseEmail(raw);
    const headerSource = field('message-headers') ?? field('headers');
    let headers: unknown = headerSource;
    if (headerSource?.trim().startsWith('[')) {
      try {
        headers = JSON.parse(headerSource);
      } catch {
        headers = undefined;
      }
    }
    return emailFromFields(field, headers);
  }
  return `content type ${contentType} is not an email; send raw MIME (message/rfc822), JSON or a form`;
}

function stableId(email: ParsedEmail, input: WebhookInput): string {
  // Without a Message-ID, the bytes are the only stable identity a redelivery shares.
  const digest = createHash('sha256').update(input.rawBody).digest('hex').slice(0, 32);
  return email.messageId ?? `<${digest}@no-message-id.invalid>`;
}

function bounceStatuses(email: ParsedEmail, receivedAt: string): DeliveryStatusUpdate[] {
  const report = email.deliveryReport;
  if (report?.originalMessageId === undefined) return [];
  const out: DeliveryStatusUpdate[] = [];
  for (const r of report.recipients) {
    // `delayed` and `relayed` reports say the message is still on its way.
    if (r.action !== 'failed' && r.action !== 'delivered') continue;
    const reply = /\b([245]\d\d)\b/.exec(r.diagnostic ?? '')?.[1] ?? (r.status?.startsWith('4') ? '450' : '550');
    const mapped = mapProviderStatus('smtp', r.action === 'failed' ? 'bounced' : '250', reply);
    if (mapped === null) continue;
    out.push({
      messageId: report.originalMessageId,
      status: r.action === 'failed' ? 'failed' : 'delivered',
      ...(mapped.error === undefined ? {} : { error: { ...mapped.error, message: r.diagnostic ?? `the receiving server refused the message (${r.status ?? reply})` } }),
      occurredAt: receivedAt,
      ...(r.recipient === undefined ? {} : { recipient: r.recipient }),
    });
  }
  return out;
}

/**
 * Reads an inbound-mail webhook: raw MIME (message/rfc822 and similar), JSON (generic
 * `{ from, to, subject, text, headers }`, or `{ raw }`), or a form (SendGrid, Mailgun). A reply
 * becomes a message whose text is what the person wrote, with `inReplyTo` from In-Reply-To (else
 * the last References id) and `contextId` from an `X-Hub-Probe` header. A bounce becomes a
 * `failed` status of the original message; other automated mail is listed as ignored.
 */
export async function parseInboundEmail(input: WebhookInput): Promise<InboundEmailResult> {
  const email = await readBody(input);
  if (typeof email === 'string') return fail(email);
  const receivedAt = input.receivedAt.toISOString();
  const messageId = stableId(email, input);
  if (email.deliveryReport !== undefined) return { ok: true, messages: [], statuses: bounceStatuses(email, receivedAt), ignored: [] };
  if (email.automated) return { ok: true, messages: [], statuses: [], ignored: [{ messageId, reason: 'automated' }] };
  if (email.from === undefined) return fail('the message has no From address');

  const inReplyTo = email.inReplyTo ?? email.references.at(-1);
  const probe = email.headers.find((h) => h.name === 'x-hub-probe')?.value.trim();
  const to = email.to[0]?.address;
  const message: EmailInboundMessage = {
    messageId,
    from: email.from.address,
    ...(to === undefined ? {} : { to }),
    text: stripQuotedReply(email.text),
    receivedAt,
    ...(inReplyTo === undefined ? {} : { inReplyTo }),
    ...(probe ? { contextId: probe } : {}),
    ...(email.subject === undefined ? {} : { subject: email.subject }),
    ...(email.references.length === 0 ? {} : { references: email.references }),
  };
  return { ok: true, messages: [message], statuses: [], ignored: [] };
}
