import type { DeliveryStatus } from '../../core/notifications/index.ts';

/**
 * whatsapp-web.js acks in the hub's terms: -1 error → failed, 0 pending (the clock icon) → queued,
 * 1 server (one tick) → sent, 2 device (two ticks) → delivered, 3 read and 4 played → read.
 * Undefined for a value the library may add later.
 */
export function deliveryStatusOfAck(ack: number): DeliveryStatus | undefined {
  switch (ack) {
    case -1:
      return 'failed';
    case 0:
      return 'queued';
    case 1:
      return 'sent';
    case 2:
      return 'delivered';
    case 3:
    case 4:
      return 'read';
    default:
      return undefined;
  }
}
