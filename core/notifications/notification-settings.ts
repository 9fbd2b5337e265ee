import { z } from 'zod';
import type { BaseDoc, CollectionDef } from '../store/index.ts';
import { NOTIFICATION_LOCALES } from './channels.ts';
import { DEFAULT_DELIVERY_POLICY, deliveryPolicySchema } from './plan-delivery.ts';
import { DEFAULT_RETRY_POLICY, retryPolicySchema } from './retry-policy.ts';

/** A tenant's notification settings: quiet hours and channel order, retries, default language. */
export const notificationSettingsSchema = z.strictObject({
  delivery: deliveryPolicySchema.default(DEFAULT_DELIVERY_POLICY),
  retry: retryPolicySchema.default(DEFAULT_RETRY_POLICY),
  /** The language for recipients whose own is unknown. */
  defaultLocale: z.enum(NOTIFICATION_LOCALES).default('en'),
});

/** Parsed {@link notificationSettingsSchema}. */
export type NotificationSettings = z.output<typeof notificationSettingsSchema>;

/** What a tenant gets until it saves its own. */
export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = notificationSettingsSchema.parse({});

/** The stored settings; one document per tenant with `_id` {@link notificationSettingsId}. */
export interface NotificationSettingsDoc extends BaseDoc {
  settings: NotificationSettings;
}

/** Ids are unique across tenants, so the tenant is part of it. */
export function notificationSettingsId(tenantId: string): string {
  return `nset_${tenantId}`;
}

export const notificationSettingsCollection: CollectionDef<NotificationSettingsDoc> = {
  name: 'notification_settings',
  scope: 'tenant',
};
