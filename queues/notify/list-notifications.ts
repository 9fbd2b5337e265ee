import { notificationsCollection, type NotificationDoc, type NotificationStatus } from '../../core/notifications/index.ts';
import type { Filter, Page, TenantStore } from '../../core/store/index.ts';

/** Filters for the notification list; all optional, combined with AND. */
export interface NotificationFilter {
  milestoneId?: string;
  personId?: string;
  status?: NotificationStatus;
  purpose?: string;
  probeId?: string;
  escalationId?: string;
  invoiceId?: string;
  projectId?: string;
}

/** The tenant's notifications, newest first, a page at a time. */
export function listNotifications(db: TenantStore, filter: NotificationFilter, page: { limit?: number; cursor?: string | null } = {}): Promise<Page<NotificationDoc>> {
  const query: Filter = {};
  for (const [field, value] of Object.entries(filter)) if (value !== undefined) query[field] = value;
  return db.collection(notificationsCollection).page(query, { sortBy: 'createdAt', direction: -1, limit: page.limit ?? 50, cursor: page.cursor ?? null });
}

/** An address with its middle hidden: `as***@example.in`, `+9198******10`. */
export function maskAddress(address: string): string {
  const at = address.indexOf('@');
  if (at > 0) return `${address.slice(0, Math.min(2, at))}***${address.slice(at)}`;
  if (address.length <= 6) return '***';
  return `${address.slice(0, 5)}${'*'.repeat(address.length - 7)}${address.slice(-2)}`;
}
