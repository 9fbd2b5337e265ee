import { invalid, succeed, type DomainResult } from '../../core/domain/index.ts';
import {
  CHANNELS,
  loadDefaultTemplates,
  messageTemplateId,
  messageTemplatesCollection,
  NOTIFICATION_LOCALES,
  TEMPLATE_KEY_LIST,
  validateMessageTemplate,
  type Channel,
  type MessageTemplate,
  type MessageTemplateDoc,
  type MessageTemplateIssue,
  type NotificationLocale,
  type TemplateKey,
} from '../../core/notifications/index.ts';
import type { TenantStore } from '../../core/store/index.ts';

/** A template as the tenant sees it: its own, or the shipped default it would use. */
export interface EffectiveTemplate {
  template: MessageTemplate;
  source: 'tenant' | 'default';
  revision?: number;
  updatedAt?: Date;
}

/** Which templates to list. */
export interface TemplateFilter {
  key?: TemplateKey;
  channel?: Channel;
  locale?: NotificationLocale;
}

/** True when the path segments name a template slot (key, channel, locale). */
export function isTemplateSlot(key: string, channel: string, locale: string): key is TemplateKey {
  return (TEMPLATE_KEY_LIST as readonly string[]).includes(key) && (CHANNELS as readonly string[]).includes(channel) && (NOTIFICATION_LOCALES as readonly string[]).includes(locale);
}

/** Every slot matching the filter, with the tenant's template where it has one and the default otherwise. */
export async function listEffectiveTemplates(db: TenantStore, filter: TemplateFilter = {}): Promise<EffectiveTemplate[]> {
  const query: Record<string, unknown> = {};
  if (filter.key) query['key'] = filter.key;
  if (filter.channel) query['channel'] = filter.channel;
  if (filter.locale) query['locale'] = filter.locale;
  const own = new Map((await db.collection(messageTemplatesCollection).find(query)).map((d) => [d._id, d]));
  const out: EffectiveTemplate[] = [];
  for (const shipped of loadDefaultTemplates()) {
    if ((filter.key && shipped.key !== filter.key) || (filter.channel && shipped.channel !== filter.channel) || (filter.locale && shipped.locale !== filter.locale)) continue;
    const doc = own.get(messageTemplateId(db.tenantId, shipped.key, shipped.channel, shipped.locale));
    out.push(doc ? { template: doc.template, source: 'tenant', revision: doc.revision, updatedAt: doc.updatedAt } : { template: shipped, source: 'default' });
  }
  return out;
}

/** One slot's effective template. */
export async function getEffectiveTemplate(db: TenantStore, key: TemplateKey, channel: Channel, locale: NotificationLocale): Promise<EffectiveTemplate | null> {
  return (await listEffectiveTemplates(db, { key, channel, locale }))[0] ?? null;
}

/**
 * Validates and stores a tenant's template for one slot (the body's key, channel and locale are
 * taken from the slot). Every problem is reported with its path and code; nothing is stored
 * unless the template is valid. SMS templates need their DLT template id.
 */
export async function saveMessageTemplate(
  db: TenantStore,
  slot: { key: TemplateKey; channel: Channel; locale: NotificationLocale },
  input: Record<string, unknown>,
  meta: { now: Date; by?: string },
): Promise<DomainResult<{ doc: MessageTemplateDoc; warnings: MessageTemplateIssue[] }>> {
  const checked = validateMessageTemplate({ ...input, key: slot.key, channel: slot.channel, locale: slot.locale });
  if (!checked.ok) return invalid(checked.errors.map((e) => ({ path: e.path, message: e.message, code: e.code })));
  const id = messageTemplateId(db.tenantId, slot.key, slot.channel, slot.locale);
  const templates = db.collection(messageTemplatesCollection);
  const saved = await templates.findOneAndUpdate(
    { _id: id },
    {
      $set: { template: checked.value, key: slot.key, channel: slot.channel, locale: slot.locale, ...(meta.by !== undefined ? { updatedBy: meta.by } : {}) },
      $inc: { revision: 1 },
    },
    { upsert: true },
  );
  return succeed({ doc: saved!, warnings: checked.warnings });
}

/** Removes the tenant's template for a slot, so the default applies again. */
export async function resetMessageTemplate(db: TenantStore, key: TemplateKey, channel: Channel, locale: NotificationLocale): Promise<boolean> {
  return db.collection(messageTemplatesCollection).deleteOne({ _id: messageTemplateId(db.tenantId, key, channel, locale) });
}
