import type { Channel, ContactPerson, NotificationLocale, NotificationRecipient } from '../../core/notifications/index.ts';
import { getPerson } from '../../core/people/index.ts';
import type { TenantStore } from '../../core/store/index.ts';
import { optOutsFor } from './opt-outs.ts';

/** A recipient as delivery planning sees it. */
export interface ResolvedRecipient {
  person: ContactPerson;
  name?: string;
  locale?: NotificationLocale;
  /** The zone of the person's own quiet hours, when they set one. */
  quietZone?: string;
}

/** `hi-IN` → `hi`; languages without templates → undefined. */
export function notificationLocaleOf(locale: string | undefined): NotificationLocale | undefined {
  const language = locale?.toLowerCase().split(/[-_]/)[0];
  return language === 'en' || language === 'hi' ? language : undefined;
}

/** Addresses, preferences, quiet hours and opt-outs of a recipient; null when the person is gone. */
export async function resolveRecipient(db: TenantStore, recipient: NotificationRecipient): Promise<ResolvedRecipient | null> {
  let resolved: ResolvedRecipient;
  let personId: string | undefined;
  if (recipient.kind === 'person') {
    const person = await getPerson(db, recipient.personId);
    if (person === null) return null;
    personId = person._id;
    const contacts: Partial<Record<Channel, string>> = {};
    if (person.email) contacts.email = person.email;
    if (person.phone) contacts.sms = person.phone;
    if (person.whatsapp ?? person.phone) contacts.whatsapp = (person.whatsapp ?? person.phone)!;
    const locale = notificationLocaleOf(person.locale);
    resolved = {
      person: {
        id: person._id,
        contacts,
        preferredChannels: person.channels,
        ...(person.quietHours ? { quietHours: { start: person.quietHours.start, end: person.quietHours.end } } : {}),
      },
      name: person.name,
      ...(locale ? { locale } : {}),
      ...(person.quietHours?.timeZone ? { quietZone: person.quietHours.timeZone } : {}),
    };
  } else if (recipient.kind === 'contact') {
    const contacts: Partial<Record<Channel, string>> = {};
    if (recipient.email) contacts.email = recipient.email;
    if (recipient.phone) contacts.sms = recipient.phone;
    if (recipient.whatsapp ?? recipient.phone) contacts.whatsapp = (recipient.whatsapp ?? recipient.phone)!;
    const locale = notificationLocaleOf(recipient.locale);
    resolved = {
      person: { contacts, ...(recipient.channels ? { preferredChannels: recipient.channels } : {}) },
      ...(recipient.name ? { name: recipient.name } : {}),
      ...(locale ? { locale } : {}),
    };
  } else {
    resolved = { person: { contacts: { [recipient.channel]: recipient.to }, preferredChannels: [recipient.channel] }, ...(recipient.name ? { name: recipient.name } : {}) };
  }
  const optOut = await optOutsFor(db, { ...(personId !== undefined ? { personId } : {}), addresses: resolved.person.contacts });
  if (optOut.all || optOut.channels.length > 0) resolved.person.optOut = optOut;
  return resolved;
}
