import type { DeliveryError, DeliveryStatus } from '../../core/notifications/index.ts';
import type { InboundMessage } from '../sdk/index.ts';

/** A report on a message the hub sent. */
export interface DeliveryStatusUpdate {
  /** The id `send` returned for the message. */
  messageId: string;
  status: DeliveryStatus;
  error?: DeliveryError;
  /** When the hub saw the change, ISO 8601 UTC (WhatsApp Web acks carry no time). */
  occurredAt: string;
  recipient?: string;
}

/** An inbound WhatsApp Web message with the id of a tapped button or row, when there is one. */
export interface WhatsAppWebInboundMessage extends InboundMessage {
  contextId?: string;
  /** whatsapp-web.js message type: `chat`, `image`, `buttons_response`, … */
  kind: string;
}
