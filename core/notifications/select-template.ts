import type { Channel, NotificationLocale } from './channels.ts';
import { loadDefaultTemplates } from './default-templates.ts';
import type { MessageTemplate } from './message-template-schema.ts';
import type { TemplateKey } from './template-keys.ts';

/** Where {@link selectTemplate} found the template. */
export type TemplateSource = 'tenant' | 'default';

/** A chosen template, and whether it is in a different language than asked for. */
export interface SelectedTemplate {
  template: MessageTemplate;
  source: TemplateSource;
  /** True when no template exists in the asked locale and English is used instead. */
  localeFallback: boolean;
}

/**
 * Picks the template for a key, channel and the recipient's locale: the tenant's own, else the
 * shipped default, in that locale; failing both, the same in English. A tenant override in the
 * right language beats a default, and any template in the right language beats English.
 */
export function selectTemplate(args: {
  key: TemplateKey;
  channel: Channel;
  locale: NotificationLocale;
  tenantTemplates?: readonly MessageTemplate[];
  defaults?: readonly MessageTemplate[];
}): SelectedTemplate | undefined {
  const { key, channel, locale, tenantTemplates = [] } = args;
  const defaults = args.defaults ?? loadDefaultTemplates();
  const find = (list: readonly MessageTemplate[], wanted: NotificationLocale): MessageTemplate | undefined =>
    list.find((t) => t.key === key && t.channel === channel && t.locale === wanted);
  const locales: NotificationLocale[] = locale === 'en' ? ['en'] : [locale, 'en'];
  for (const wanted of locales) {
    const own = find(tenantTemplates, wanted);
    if (own) return { template: own, source: 'tenant', localeFallback: wanted !== locale };
    const shipped = find(defaults, wanted);
    if (shipped) return { template: shipped, source: 'default', localeFallback: wanted !== locale };
  }
  return undefined;
}
