import { decodeCharset } from './decode-charset.ts';
import { decodeMimeWords } from './decode-mime-words.ts';
import { decodeTransferEncoding } from './decode-transfer-encoding.ts';
import { messageIdsIn } from './email-message-id.ts';
import { htmlToText } from './html-to-text.ts';
import { parseAddressList, type EmailAddress } from './parse-address-list.ts';
import { parseHeaderParams } from './parse-header-params.ts';
import { headerValue, parseHeaderBlock, parseMimeEntity, type MimeEntity, type MimeLimits } from './parse-mime-entity.ts';

/** One recipient line of a delivery status notification (RFC 3464). */
export interface DeliveryReportRecipient {
  recipient?: string;
  /** `failed`, `delayed`, `delivered`, `relayed` or `expanded`. */
  action: string;
  /** Enhanced status code, e.g. `5.1.1`. */
  status?: string;
  /** The remote server's words, e.g. `smtp; 550 5.1.1 User unknown`. */
  diagnostic?: string;
}

/** A bounce or delay report, with the Message-ID of the message it reports on. */
export interface DeliveryReport {
  originalMessageId?: string;
  recipients: DeliveryReportRecipient[];
}

/** An attachment, described but not kept. */
export interface ParsedAttachment {
  filename?: string;
  contentType: string;
  size: number;
}

/** What the hub reads from a received email. */
export interface ParsedEmail {
  messageId?: string;
  inReplyTo?: string;
  /** References, oldest first. */
  references: string[];
  from?: EmailAddress;
  to: EmailAddress[];
  subject?: string;
  date?: Date;
  /** The body as text: the text/plain part, or the HTML part made readable. */
  text: string;
  html?: string;
  attachments: ParsedAttachment[];
  /** Unfolded top-level headers with encoded words decoded; names lower-cased. */
  headers: { name: string; value: string }[];
  /** Sent by software, not a person: out-of-office replies, bounces, list traffic. */
  automated: boolean;
  /** Present when the message is a delivery status notification. */
  deliveryReport?: DeliveryReport;
}

function isAttachment(part: MimeEntity): boolean {
  const disposition = headerValue(part, 'content-disposition');
  return disposition !== undefined && parseHeaderParams(disposition).value === 'attachment';
}

function partText(part: MimeEntity): string {
  const bytes = decodeTransferEncoding(part.body, headerValue(part, 'content-transfer-encoding'));
  return decodeCharset(bytes, part.contentType.params['charset']);
}

function findBodies(entity: MimeEntity, found: { text?: string; html?: string; attachments: ParsedAttachment[] }): void {
  const type = entity.contentType.value;
  // A forwarded message (message/rfc822) is not what the sender wrote, so its bodies are not searched.
  if (type.startsWith('multipart/')) {
    for (const part of entity.parts) findBodies(part, found);
    return;
  }
  if (!isAttachment(entity) && type === 'text/plain' && found.text === undefined) {
    found.text = partText(entity);
    return;
  }
  if (!isAttachment(entity) && type === 'text/html' && found.html === undefined) {
    found.html = partText(entity);
    return;
  }
  if (type === 'message/delivery-status' || type === 'text/rfc822-headers' || type === 'message/rfc822') return;
  const disposition = headerValue(entity, 'content-disposition');
  const filename = (disposition === undefined ? undefined : parseHeaderParams(disposition).params['filename']) ?? entity.contentType.params['name'];
  found.attachments.push({
    ...(filename === undefined ? {} : { filename: decodeMimeWords(filename) }),
    contentType: type,
    size: decodeTransferEncoding(entity.body, headerValue(entity, 'content-transfer-encoding')).byteLength,
  });
}

function findPart(entity: MimeEntity, types: readonly string[]): MimeEntity | undefined {
  if (types.includes(entity.contentType.value)) return entity;
  for (const part of entity.parts) {
    const hit = findPart(part, types);
    if (hit) return hit;
  }
  return undefined;
}

function parseDeliveryReport(root: MimeEntity): DeliveryReport | undefined {
  if (root.contentType.value !== 'multipart/report') return undefined;
  const status = findPart(root, ['message/delivery-status', 'message/global-delivery-status']);
  if (status === undefined) return undefined;
  const groups = partText(status)
    .replace(/\r\n/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((group) => parseHeaderBlock(group))
    .filter((fields) => fields.length > 0);
  const recipients: DeliveryReportRecipient[] = [];
  for (const fields of groups) {
    const get = (name: string) => fields.find((f) => f.name === name)?.value;
    const action = get('action')?.toLowerCase();
    if (action === undefined) continue;
    const recipient = (get('final-recipient') ?? get('original-recipient'))?.replace(/^[^;]*;\s*/, '').toLowerCase();
    const statusCode = get('status');
    const diagnostic = get('diagnostic-code');
    recipients.push({
      action,
      ...(recipient === undefined ? {} : { recipient }),
      ...(statusCode === undefined ? {} : { status: statusCode }),
      ...(diagnostic === undefined ? {} : { diagnostic }),
    });
  }
  const original = root.parts.find((p) => p.contentType.value === 'text/rfc822-headers' || p.contentType.value === 'message/rfc822');
  let originalMessageId: string | undefined;
  if (original) {
    const headers = original.contentType.value === 'message/rfc822' ? (original.parts[0]?.headers ?? []) : parseHeaderBlock(partText(original));
    originalMessageId = messageIdsIn(headers.find((h) => h.name === 'message-id')?.value)[0];
  }
  return { ...(originalMessageId === undefined ? {} : { originalMessageId }), recipients };
}

function isAutomated(headers: readonly { name: string; value: string }[], from: EmailAddress | undefined, subject: string | undefined, report: boolean): boolean {
  if (report) return true;
  const get = (name: string) => headers.find((h) => h.name === name)?.value.trim().toLowerCase();
  const autoSubmitted = get('auto-submitted');
  if (autoSubmitted !== undefined && autoSubmitted !== 'no') return true;
  if (get('x-autoreply') !== undefined || get('x-autorespond') !== undefined || get('x-failed-recipients') !== undefined) return true;
  if (['auto_reply', 'bulk', 'junk', 'list'].includes(get('precedence') ?? '')) return true;
  if (get('list-id') !== undefined) return true;
  if (from !== undefined && /^(mailer-daemon|postmaster)@/.test(from.address)) return true;
  return subject !== undefined && /^(automatic reply|auto:|out of office|autoreply)\b/i.test(subject.trim());
}

/**
 * Reads a raw RFC 5322 message (headers, MIME structure, transfer encodings, charsets, encoded
 * words) into what the hub needs: who, threading ids, the readable text, whether software sent it,
 * and the delivery report of a bounce. Attachments are described, not kept.
 */
export function parseEmail(raw: Uint8Array | string, limits?: MimeLimits): ParsedEmail {
  const binary = typeof raw === 'string' ? Buffer.from(raw, 'utf8').toString('latin1') : Buffer.from(raw).toString('latin1');
  const root = parseMimeEntity(binary, limits);
  const headers = root.headers.map((h) => ({ name: h.name, value: decodeMimeWords(h.value) }));
  const get = (name: string) => headers.find((h) => h.name === name)?.value;
  const found: { text?: string; html?: string; attachments: ParsedAttachment[] } = { attachments: [] };
  findBodies(root, found);

  const from = parseAddressList(get('from') ?? '')[0];
  const to = headers.filter((h) => h.name === 'to').flatMap((h) => parseAddressList(h.value));
  const subject = get('subject');
  const dateText = get('date');
  const date = dateText === undefined ? undefined : new Date(dateText.replace(/\s*\([^)]*\)\s*$/, ''));
  const deliveryReport = parseDeliveryReport(root);
  const messageId = messageIdsIn(get('message-id'))[0];
  const inReplyTo = messageIdsIn(get('in-reply-to'))[0];
  const text = found.text ?? (found.html === undefined ? '' : htmlToText(found.html));

  return {
    ...(messageId === undefined ? {} : { messageId }),
    ...(inReplyTo === undefined ? {} : { inReplyTo }),
    references: messageIdsIn(get('references')),
    ...(from === undefined ? {} : { from }),
    to,
    ...(subject === undefined ? {} : { subject }),
    ...(date === undefined || Number.isNaN(date.getTime()) ? {} : { date }),
    text,
    ...(found.html === undefined ? {} : { html: found.html }),
    attachments: found.attachments,
    headers,
    automated: isAutomated(headers, from, subject, deliveryReport !== undefined),
    ...(deliveryReport === undefined ? {} : { deliveryReport }),
  };
}
