import { normalizeAddress } from '../../core/notifications/index.ts';

/** The chat id of a phone number (`+91 98765 43210` → `919876543210@c.us`), or undefined. */
export function chatIdOf(phone: string): string | undefined {
  const e164 = normalizeAddress('whatsapp', phone);
  return e164 === null ? undefined : `${e164.slice(1)}@c.us`;
}

/**
 * The E.164 number of a one-to-one chat id, or undefined for groups (`@g.us`), status updates,
 * channels and privacy ids (`@lid`), which do not name a phone number.
 */
export function phoneOfChatId(chatId: string): string | undefined {
  const match = /^(\d{8,15})@c\.us$/.exec(chatId);
  return match ? `+${match[1]}` : undefined;
}
