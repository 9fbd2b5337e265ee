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
}

/** An inbound SMS as Twilio reports it. */
export interface SmsInboundMessage extends InboundMessage {
  /** How many SMS parts it arrived in. */
  segments?: number;
}

/**
 * Webhook changes for parsed messages and statuses: `message.received` with the message as data,
 * `message.status` with the update as data. Event ids follow the provider's ids, so a redelivery
 * dedupes.
 */
export function messageChanges(messages: readonly SmsInboundMessage[], statuses: readonly DeliveryStatusUpdate[]): WebhookChange[] {
  return [
    ...messages.map((m) => ({ eventId: m.messageId, type: 'message.received', object: 'message', id: m.messageId, occurredAt: m.receivedAt, data: m })),
    ...statuses.map((s) => ({ eventId: `${s.messageId}:${s.status}`, type: 'message.status', object: 'message', id: s.messageId, occurredAt: s.occurredAt, data: s })),
  ];
}
