import { normalizeAddress } from '../../core/notifications/index.ts';
import { UnrecoverableVendorError, type OutboundMessage } from '../sdk/index.ts';

/** A quick-reply button: the hub's id comes back as `contextId` when tapped. */
export interface ReplyButton {
  /** Up to 256 characters. */
  id: string;
  /** Up to 20 characters, shown on the button. */
  title: string;
}

/** An outbound WhatsApp message: the channel-neutral message plus reply buttons. */
export interface WhatsAppOutboundMessage extends OutboundMessage {
  /** 1-3 buttons under a free-form text (inside the 24 h window only). */
  buttons?: readonly ReplyButton[];
}

function refuse(message: string): UnrecoverableVendorError {
  return new UnrecoverableVendorError(0, '', { message: `whatsapp-cloud: ${message}` });
}

/** The `to` of Cloud API: E.164 digits without `+`; ten-digit numbers are taken as Indian. */
export function whatsappRecipient(to: string): string {
  const e164 = normalizeAddress('whatsapp', to);
  if (e164 === null) throw refuse(`"to" is not a phone number: ${JSON.stringify(to.slice(0, 40))}`);
  return e164.slice(1);
}

/**
 * The JSON body of `POST /{version}/{phone-number-id}/messages`: a template message when the
 * message names one (the only kind allowed outside the 24 h customer service window), else
 * text, or interactive reply buttons. The idempotency key goes in `biz_opaque_callback_data`, so
 * every status webhook of the message carries it back.
 */
export function buildMessageRequest(message: WhatsAppOutboundMessage, defaultLanguage: string): Record<string, unknown> {
  if (message.idempotencyKey === '' || message.idempotencyKey.length > 512) throw refuse('the idempotency key must be 1-512 characters');
  const base: Record<string, unknown> = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: whatsappRecipient(message.to),
    biz_opaque_callback_data: message.idempotencyKey,
    ...(message.inReplyTo === undefined ? {} : { context: { message_id: message.inReplyTo } }),
  };
  if (message.template !== undefined) {
    const { name, language, parameters } = message.template;
    if (!/^[a-z0-9_]{1,512}$/.test(name)) throw refuse(`template name ${JSON.stringify(name)} must be lower-case letters, digits and _`);
    return {
      ...base,
      type: 'template',
      template: {
        name,
        language: { code: language || defaultLanguage },
        ...(parameters.length === 0 ? {} : { components: [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }] }),
      },
    };
  }
  if (message.text.trim() === '') throw refuse('the text is empty');
  if (message.text.length > 4096) throw refuse('the text is longer than 4096 characters');
  const buttons = message.buttons ?? [];
  if (buttons.length === 0) return { ...base, type: 'text', text: { preview_url: false, body: message.text } };
  if (buttons.length > 3) throw refuse('at most 3 reply buttons');
  if (message.text.length > 1024) throw refuse('a message with buttons takes at most 1024 characters');
  for (const b of buttons) {
    if (b.id === '' || b.id.length > 256) throw refuse('a button id must be 1-256 characters');
    if (b.title === '' || [...b.title].length > 20) throw refuse(`button title ${JSON.stringify(b.title)} must be 1-20 characters`);
  }
  return {
    ...base,
    type: 'interactive',
    interactive: { type: 'button', body: { text: message.text }, action: { buttons: buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) } },
  };
}
