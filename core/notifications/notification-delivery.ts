import { applyDeliveryUpdate } from './delivery-status.ts';
import type { DeliveryState, DeliveryStatus, DeliveryUpdate } from './delivery-status.ts';
import type { NotificationDoc, NotificationStatus } from './notification-doc.ts';

const PROVIDER_STATUSES: ReadonlySet<NotificationStatus> = new Set<NotificationStatus>(['queued', 'sent', 'delivered', 'read', 'failed']);

/** The fields of a notification a delivery report may change. */
export type NotificationDeliveryFields = Pick<NotificationDoc, 'status' | 'sentAt' | 'deliveredAt' | 'readAt' | 'failedAt' | 'error'>;

/**
 * Applies a provider's report to a notification, never moving it backwards (a late `delivered`
 * after `read` only fills in `deliveredAt`). Reports cannot revive a notification that was opted
 * out or cancelled, and `deferred` reads as `queued`. Returns the fields to set, or null when
 * nothing changes.
 */
export function notificationDeliveryUpdate(doc: Pick<NotificationDoc, 'status' | 'queuedAt' | 'sentAt' | 'deliveredAt' | 'readAt' | 'failedAt' | 'error'>, update: DeliveryUpdate): NotificationDeliveryFields | null {
  if (doc.status === 'opted_out' || doc.status === 'cancelled') return null;
  const status: DeliveryStatus = PROVIDER_STATUSES.has(doc.status) ? (doc.status as DeliveryStatus) : 'queued';
  const state: DeliveryState = {
    status,
    queuedAt: doc.queuedAt,
    ...(doc.sentAt ? { sentAt: doc.sentAt } : {}),
    ...(doc.deliveredAt ? { deliveredAt: doc.deliveredAt } : {}),
    ...(doc.readAt ? { readAt: doc.readAt } : {}),
    ...(doc.failedAt ? { failedAt: doc.failedAt } : {}),
    ...(doc.error ? { error: doc.error } : {}),
  };
  const { changed, state: next } = applyDeliveryUpdate(state, update);
  if (!changed) return null;
  const keepsWaiting = next.status === 'queued' && doc.status === 'deferred';
  return {
    status: keepsWaiting ? 'deferred' : next.status,
    ...(next.sentAt ? { sentAt: next.sentAt } : {}),
    ...(next.deliveredAt ? { deliveredAt: next.deliveredAt } : {}),
    ...(next.readAt ? { readAt: next.readAt } : {}),
    ...(next.failedAt ? { failedAt: next.failedAt } : {}),
    ...(next.error ? { error: next.error } : {}),
  };
}
