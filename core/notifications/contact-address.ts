import type { Channel } from './channels.ts';

/**
 * A contact address in one canonical form, so a reply can be matched to the person it went to:
 * email addresses are lower-cased; phone numbers (SMS, WhatsApp) become E.164, with Indian
 * 10-digit mobiles, a leading 0 and Twilio's `whatsapp:` prefix handled. Null when unusable.
 *
 * @example normalizeAddress('sms', '098765 43210') // '+919876543210'
 * @example normalizeAddress('whatsapp', 'whatsapp:+919876543210') // '+919876543210'
 */
export function normalizeAddress(channel: Channel, raw: string, defaultCountryCode = '91'): string | null {
  const value = raw.trim();
  if (channel === 'email') {
    const match = /<([^<>]+)>\s*$/.exec(value);
    const address = (match ? (match[1] as string) : value).trim().toLowerCase();
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) ? address : null;
  }
  const stripped = value.replace(/^whatsapp:/i, '');
  const plus = stripped.trim().startsWith('+');
  let digits = stripped.replace(/\D/g, '');
  if (plus) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
  if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.length === 11 && digits.startsWith('0')) digits = defaultCountryCode + digits.slice(1);
  else if (digits.length === 10) digits = defaultCountryCode + digits;
  return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
}

/** True when two addresses reach the same person: SMS and WhatsApp share a phone number. */
export function sameContact(a: { channel: Channel; address: string }, b: { channel: Channel; address: string }): boolean {
  const phoneA = a.channel !== 'email';
  const phoneB = b.channel !== 'email';
  if (phoneA !== phoneB) return false;
  const left = normalizeAddress(a.channel, a.address);
  return left !== null && left === normalizeAddress(b.channel, b.address);
}
