import { invalid, issuesFromZod, succeed, type DomainResult } from '../../core/domain/index.ts';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  notificationSettingsId,
  notificationSettingsCollection,
  notificationSettingsSchema,
  type NotificationSettings,
} from '../../core/notifications/index.ts';
import type { TenantStore } from '../../core/store/index.ts';

/** The tenant's notification settings, or the defaults. */
export async function getNotificationSettings(db: TenantStore): Promise<NotificationSettings> {
  const doc = await db.collection(notificationSettingsCollection).findById(notificationSettingsId(db.tenantId));
  return doc?.settings ?? DEFAULT_NOTIFICATION_SETTINGS;
}

/** Replaces the tenant's settings after validating them (omitted parts take their defaults). */
export async function saveNotificationSettings(db: TenantStore, input: unknown): Promise<DomainResult<NotificationSettings>> {
  const parsed = notificationSettingsSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  await db.collection(notificationSettingsCollection).updateOne({ _id: notificationSettingsId(db.tenantId) }, { $set: { settings: parsed.data } }, { upsert: true });
  return succeed(parsed.data);
}
