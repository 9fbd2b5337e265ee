import type { BaseDoc, CollectionDef } from '../store/index.ts';
import type { Channel, NotificationLocale } from './channels.ts';
import type { MessageTemplate } from './message-template-schema.ts';
import type { TemplateKey } from './template-keys.ts';

/** A tenant's own template for one key, channel and locale, stored after validation. */
export interface MessageTemplateDoc extends BaseDoc {
  template: MessageTemplate;
  key: TemplateKey;
  channel: Channel;
  locale: NotificationLocale;
  /** Bumped by every save, for `If-Match`-style checks and for reading which text went out. */
  revision: number;
  updatedBy?: string;
}

/** Tenant templates; `_id` is {@link messageTemplateId}. */
export const messageTemplatesCollection: CollectionDef<MessageTemplateDoc> = {
  name: 'message_templates',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, key: 1, channel: 1, locale: 1 }, unique: true }],
};

/** The stored id of a tenant template. */
export function messageTemplateId(tenantId: string, key: TemplateKey, channel: Channel, locale: NotificationLocale): string {
  return `${tenantId}/${key}/${channel}/${locale}`;
}
