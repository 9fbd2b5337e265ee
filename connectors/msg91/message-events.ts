import type { DeliveryError, DeliveryStatus } from '../../core/notifications/index.ts';
import type { WebhookChange } from '../sdk/index.ts';

/** A provider's report on a message the hub sent. */
export interface DeliveryStatusUpdate {
  /** The id `send` returned for the message. */
  messageId: string;
  status: DeliveryStatus;
  /** Why it failed: the provider's code and words, and whether another try could help. */
  error?: DeliveryError;
  /** When the provider saw the change, ISO 8601 UTC. */
  occurredAt: string;
  /** The number the report is about, in E.164: one MSG91 request may reach several. */
  recipient?: string;
}

/** Webhook changes for delivery reports: `message.status` with the update as data, keyed so a redelivery dedupes. */
export function statusChanges(statuses: readonly DeliveryStatusUpdate[]): WebhookChange[] {
  return [
    ...statuses.map((s) => ({ eventId: `${s.messageId}:${s.status}`, type: 'message.status', object: 'message', id: s.messageId, occurredAt: s.occurredAt, data: s })),
  ];
}
