import { randomBytes } from 'node:crypto';

/** The business side of a webhook: the WABA and phone number it is about. */
export interface BusinessNumber {
  businessAccountId: string;
  phoneNumberId: string;
  /** Digits, no `+`, as Meta sends it. */
  displayPhoneNumber: string;
}

/** A WhatsApp message id as Cloud API writes them. */
export function newWamid(): string {
  return `wamid.HBgM${randomBytes(24).toString('base64')}`;
}

const seconds = (at: Date) => String(Math.floor(at.getTime() / 1000));

function envelope(business: BusinessNumber, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.businessAccountId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: business.displayPhoneNumber, phone_number_id: business.phoneNumberId },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

/** What a person sends: plain text, a tap on a template's quick-reply button, or an interactive reply. */
export type InboundContent =
  | { type: 'text'; body: string }
  | { type: 'button'; text: string; payload: string }
  | { type: 'button_reply'; id: string; title: string }
  | { type: 'list_reply'; id: string; title: string; description?: string }
  | { type: 'image'; caption?: string }
  | { type: 'reaction'; emoji: string; messageId: string };

function messageBody(content: InboundContent): Record<string, unknown> {
  switch (content.type) {
    case 'text':
      return { type: 'text', text: { body: content.body } };
    case 'button':
      return { type: 'button', button: { payload: content.payload, text: content.text } };
    case 'button_reply':
      return { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: content.id, title: content.title } } };
    case 'list_reply':
      return {
        type: 'interactive',
        interactive: { type: 'list_reply', list_reply: { id: content.id, title: content.title, ...(content.description ? { description: content.description } : {}) } },
      };
    case 'image':
      return { type: 'image', image: { ...(content.caption ? { caption: content.caption } : {}), mime_type: 'image/jpeg', sha256: randomBytes(32).toString('base64'), id: String(1e15 + Math.floor(Math.random() * 1e14)) } };
    case 'reaction':
      return { type: 'reaction', reaction: { message_id: content.messageId, emoji: content.emoji } };
  }
}

/** A `messages` webhook for one inbound message, exactly as Cloud API nests it. */
export function inboundMessagePayload(
  business: BusinessNumber,
  input: { from: string; name?: string; id?: string; at?: Date; content: InboundContent; replyTo?: string },
): { payload: Record<string, unknown>; messageId: string } {
  const messageId = input.id ?? newWamid();
  const from = input.from.replace(/^\+/, '');
  const payload = envelope(business, {
    contacts: [{ profile: { name: input.name ?? 'Asha Rao' }, wa_id: from }],
    messages: [
      {
        ...(input.replyTo === undefined ? {} : { context: { from: business.displayPhoneNumber, id: input.replyTo } }),
        from,
        id: messageId,
        timestamp: seconds(input.at ?? new Date()),
        ...messageBody(input.content),
      },
    ],
  });
  return { payload, messageId };
}

/** A Cloud API error as it appears in a failed status. */
export interface StatusError {
  code: number;
  title: string;
  message?: string;
  details?: string;
}

/** A `statuses` webhook for one message: sent, delivered, read or failed. */
export function statusPayload(
  business: BusinessNumber,
  input: { messageId: string; recipient: string; status: 'sent' | 'delivered' | 'read' | 'failed'; at?: Date; error?: StatusError; bizOpaqueCallbackData?: string },
): Record<string, unknown> {
  const recipient = input.recipient.replace(/^\+/, '');
  const billable = input.status === 'sent' || input.status === 'delivered';
  return envelope(business, {
    statuses: [
      {
        id: input.messageId,
        status: input.status,
        timestamp: seconds(input.at ?? new Date()),
        recipient_id: recipient,
        ...(input.bizOpaqueCallbackData === undefined ? {} : { biz_opaque_callback_data: input.bizOpaqueCallbackData }),
        ...(billable
          ? {
              conversation: { id: randomBytes(16).toString('hex'), origin: { type: 'utility' } },
              pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' },
            }
          : {}),
        ...(input.error === undefined
          ? {}
          : {
              errors: [
                {
                  code: input.error.code,
                  title: input.error.title,
                  message: input.error.message ?? input.error.title,
                  error_data: { details: input.error.details ?? input.error.title },
                  href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
                },
              ],
            }),
      },
    ],
  });
}
