import type { DeliveryError, DeliveryStatus } from '../../core/notifications/index.ts';
import type { InboundMessage, WebhookChange } from '../sdk/index.ts';

/** A provider's report on a message the hub sent. */
export interface DeliveryStatusUpdate {
  /** The id `send` returned for the message. */
  messageId: string;
  status: DeliveryStatus;
  /** Why it failed: the provider's code and words, and whether another try could help. */
  error?: DeliveryError;
  /** When the provider saw the change, ISO 8601 UTC. */
  occurredAt: string;
  recipient?: string;
  /** What the hub sent as `biz_opaque_callback_data`: the message's idempotency key. */
  reference?: string;
}

/** An inbound WhatsApp message with what Cloud API adds. */
export interface WhatsAppInboundMessage extends InboundMessage {
  /** The id of the button or list row tapped (the payload the hub set), for a tap rather than typed text. */
  contextId?: string;
  /** Cloud API's message type: `text`, `button`, `interactive`, `image`, `reaction`, … */
  kind: string;
  /** The WhatsApp profile name the sender chose. */
  profileName?: string;
}

/**
 * Webhook changes for parsed messages and statuses: `message.received` with the message as data,
 * `message.status` with the update as data. Event ids follow the provider's ids, so a redelivery
 * dedupes.
 */
export function messageChanges(messages: readonly WhatsAppInboundMessage[], statuses: readonly DeliveryStatusUpdate[]): WebhookChange[] {
  return [
    ...messages.map((m) => ({ eventId: m.messageId, type: 'message.received', object: 'message', id: m.messageId, occurredAt: m.receivedAt, data: m })),
    ...statuses.map((s) => ({ eventId: `${s.messageId}:${s.status}`, type: 'message.status', object: 'message', id: s.messageId, occurredAt: s.occurredAt, data: s })),
  ];
}
