import { mapProviderStatus } from '../../core/notifications/index.ts';
import type { DeliveryStatusUpdate, WhatsAppInboundMessage } from './message-events.ts';

/** A `value.errors[]` entry: a problem Meta reports about the number or app, not about one message. */
export interface WhatsAppSystemError {
  code: string;
  message: string;
}

/** What one Cloud API webhook held for one phone number. */
export type WhatsAppWebhookResult =
  | { ok: true; messages: WhatsAppInboundMessage[]; statuses: DeliveryStatusUpdate[]; errors: WhatsAppSystemError[] }
  | { ok: false; error: { code: 'invalid_body' | 'unsupported_event'; message: string } };

type Json = Record<string, unknown>;

const obj = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined);
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined);

function isoFromSeconds(value: unknown, fallback: Date): string {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : fallback.toISOString();
}

const e164 = (waId: string): string => (waId.startsWith('+') ? waId : `+${waId}`);

/** What the person said or tapped, and the id of what they tapped. */
function contentOf(message: Json): { text: string; contextId?: string } {
  const type = str(message['type']) ?? 'unknown';
  switch (type) {
    case 'text':
      return { text: str(obj(message['text'])?.['body']) ?? '' };
    case 'button': {
      // A quick-reply button of a template: its payload is what the hub set when sending.
      const button = obj(message['button']);
      const payload = str(button?.['payload']);
      return { text: str(button?.['text']) ?? '', ...(payload ? { contextId: payload } : {}) };
    }
    case 'interactive': {
      const interactive = obj(message['interactive']);
      const reply = obj(interactive?.['button_reply']) ?? obj(interactive?.['list_reply']);
      const id = str(reply?.['id']);
      return { text: str(reply?.['title']) ?? '', ...(id ? { contextId: id } : {}) };
    }
    case 'reaction':
      return { text: str(obj(message['reaction'])?.['emoji']) ?? '' };
    case 'image':
    case 'video':
    case 'document':
      return { text: str(obj(message[type])?.['caption']) ?? '' };
    default:
      // Audio, stickers, locations, contacts: nothing to read, so the hub asks again in words.
      return { text: '' };
  }
}

function inboundOf(message: Json, value: Json, receivedAt: Date): WhatsAppInboundMessage | undefined {
  const id = str(message['id']);
  const from = str(message['from']);
  if (id === undefined || from === undefined) return undefined;
  const kind = str(message['type']) ?? 'unknown';
  const { text, contextId } = contentOf(message);
  // A reaction answers the message it reacts to; otherwise a reply names its original in context.id.
  const inReplyTo = kind === 'reaction' ? str(obj(message['reaction'])?.['message_id']) : str(obj(message['context'])?.['id']);
  const display = str(obj(value['metadata'])?.['display_phone_number']);
  const contact = arr(value['contacts']).map(obj).find((c) => str(c?.['wa_id']) === from);
  const profileName = str(obj(contact?.['profile'])?.['name']);
  return {
    messageId: id,
    from: e164(from),
    ...(display === undefined ? {} : { to: e164(display.replace(/[^\d]/g, '')) }),
    text,
    receivedAt: isoFromSeconds(message['timestamp'], receivedAt),
    ...(inReplyTo === undefined ? {} : { inReplyTo }),
    ...(contextId === undefined ? {} : { contextId }),
    kind,
    ...(profileName === undefined ? {} : { profileName }),
  };
}

function statusOf(status: Json, receivedAt: Date): DeliveryStatusUpdate | undefined {
  const id = str(status['id']);
  const error = obj(arr(status['errors'])[0]);
  const mapped = mapProviderStatus('whatsapp_cloud', str(status['status']) ?? '', str(error?.['code']));
  if (id === undefined || mapped === null) return undefined;
  const recipient = str(status['recipient_id']);
  const reference = str(status['biz_opaque_callback_data']);
  const details = str(obj(error?.['error_data'])?.['details']);
  const title = str(error?.['title']) ?? str(error?.['message']);
  const words = details && title && details !== title ? `${title}: ${details}` : (title ?? details);
  return {
    messageId: id,
    status: mapped.status,
    ...(mapped.error === undefined ? {} : { error: { ...mapped.error, ...(words === undefined ? {} : { message: words }) } }),
    occurredAt: isoFromSeconds(status['timestamp'], receivedAt),
    ...(recipient === undefined ? {} : { recipient: e164(recipient) }),
    ...(reference === undefined ? {} : { reference }),
  };
}

/**
 * Reads a Cloud API webhook (`entry[].changes[].value` with `messages[]`, `statuses[]` and
 * `errors[]`) for one business phone number; changes about other numbers of the same app are
 * skipped. Timestamps are Meta's (seconds), else `receivedAt`. Statuses map through
 * `mapProviderStatus` (core/notifications); others (`deleted`, `warning`) are skipped.
 */
export function parseWhatsAppWebhook(rawBody: Uint8Array, { phoneNumberId, receivedAt }: { phoneNumberId: string; receivedAt: Date }): WhatsAppWebhookResult {
  let body: Json | undefined;
  try {
    body = obj(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody)));
  } catch {
    return { ok: false, error: { code: 'invalid_body', message: 'the body is not UTF-8 JSON' } };
  }
  if (body === undefined || !Array.isArray(body['entry'])) return { ok: false, error: { code: 'invalid_body', message: 'the body has no entry array' } };
  if (body['object'] !== 'whatsapp_business_account') {
    return { ok: false, error: { code: 'unsupported_event', message: `object ${JSON.stringify(body['object'])} is not whatsapp_business_account` } };
  }
  const messages: WhatsAppInboundMessage[] = [];
  const statuses: DeliveryStatusUpdate[] = [];
  const errors: WhatsAppSystemError[] = [];
  for (const entry of arr(body['entry']).map(obj)) {
    for (const change of arr(entry?.['changes']).map(obj)) {
      const value = obj(change?.['value']);
      if (change?.['field'] !== 'messages' || value === undefined) continue;
      if (str(obj(value['metadata'])?.['phone_number_id']) !== phoneNumberId) continue;
      for (const message of arr(value['messages']).map(obj)) {
        const parsed = message && inboundOf(message, value, receivedAt);
        if (parsed) messages.push(parsed);
      }
      for (const status of arr(value['statuses']).map(obj)) {
        const parsed = status && statusOf(status, receivedAt);
        if (parsed) statuses.push(parsed);
      }
      for (const error of arr(value['errors']).map(obj)) {
        if (error) errors.push({ code: str(error['code']) ?? 'unknown', message: str(obj(error['error_data'])?.['details']) ?? str(error['message']) ?? str(error['title']) ?? '' });
      }
    }
  }
  return { ok: true, messages, statuses, errors };
}
