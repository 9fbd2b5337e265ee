import { mapProviderStatus, normalizeAddress } from '../../core/notifications/index.ts';
import type { DeliveryStatusUpdate, SmsInboundMessage } from './message-events.ts';

/** What one Twilio webhook held: an incoming message, or a status callback of one the hub sent. */
export type TwilioWebhookResult =
  | { ok: true; messages: SmsInboundMessage[]; statuses: DeliveryStatusUpdate[] }
  | { ok: false; error: { code: 'invalid_body' | 'unsupported_event'; message: string } };

// Twilio's words for the delivery errors a status callback names only by code.
const ERROR_TEXT: Readonly<Record<string, string>> = {
  '21610': 'the recipient replied STOP and is unsubscribed',
  '30003': 'unreachable destination handset',
  '30004': 'message blocked by the recipient or carrier',
  '30005': 'unknown destination handset',
  '30006': 'landline or unreachable carrier',
  '30007': 'message filtered by the carrier',
  '30008': 'unknown error',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a Twilio messaging webhook (form-encoded, already verified with scheme `twilio`): an
 * incoming SMS (`From`, `To`, `Body`, `MessageSid`) becomes a message, numbers in E.164; a status
 * callback (`MessageSid`, `MessageStatus`, `ErrorCode`) becomes a status through
 * `mapProviderStatus`. Twilio sends no timestamp, so both take `receivedAt`.
 */
export function parseTwilioWebhook(rawBody: Uint8Array, { contentType, receivedAt }: { contentType: string | undefined; receivedAt: Date }): TwilioWebhookResult {
  if ((contentType ?? '').split(';')[0]?.trim().toLowerCase() !== 'application/x-www-form-urlencoded') {
    return { ok: false, error: { code: 'invalid_body', message: 'Twilio messaging webhooks are form-encoded' } };
  }
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(utf8.decode(rawBody));
  } catch {
    return { ok: false, error: { code: 'invalid_body', message: 'the body is not UTF-8' } };
  }
  const sid = params.get('MessageSid') || params.get('SmsSid');
  if (!sid) return { ok: false, error: { code: 'invalid_body', message: 'the body has no MessageSid' } };
  const status = (params.get('MessageStatus') || params.get('SmsStatus') || '').toLowerCase();
  const at = receivedAt.toISOString();

  if (status === '' || status === 'received') {
    const from = normalizeAddress('sms', params.get('From') ?? '');
    if (from === null) return { ok: false, error: { code: 'invalid_body', message: 'the incoming message has no usable From number' } };
    const to = normalizeAddress('sms', params.get('To') ?? '');
    const replied = params.get('OriginalRepliedMessageSid');
    const segments = Number(params.get('NumSegments'));
    return {
      ok: true,
      messages: [
        {
          messageId: sid,
          from,
          ...(to === null ? {} : { to }),
          text: params.get('Body') ?? '',
          receivedAt: at,
          ...(replied ? { inReplyTo: replied } : {}),
          ...(Number.isInteger(segments) && segments > 0 ? { segments } : {}),
        },
      ],
      statuses: [],
    };
  }

  const errorCode = params.get('ErrorCode') || undefined;
  const mapped = mapProviderStatus('twilio', status, errorCode);
  if (mapped === null) return { ok: false, error: { code: 'unsupported_event', message: `status ${JSON.stringify(status)} says nothing about a sent message` } };
  const recipient = normalizeAddress('sms', params.get('To') ?? '');
  const words = params.get('ErrorMessage') || (errorCode === undefined ? undefined : ERROR_TEXT[errorCode]);
  return {
    ok: true,
    messages: [],
    statuses: [
      {
        messageId: sid,
        status: mapped.status,
        ...(mapped.error === undefined ? {} : { error: { ...mapped.error, ...(words === undefined ? {} : { message: words }) } }),
        occurredAt: at,
        ...(recipient === null ? {} : { recipient }),
      },
    ],
  };
}
