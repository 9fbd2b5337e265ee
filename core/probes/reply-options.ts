import type { NotificationLocale } from '../notifications/index.ts';

/** What the numbered replies to a probe mean. */
export const REPLY_OPTIONS = { 1: 'on_track', 2: 'delayed', 3: 'done' } as const;

const TEXT = {
  en: {
    long: 'Reply 1 if on track, 2 if delayed (add the reason), 3 if done, or write a short update.',
    short: 'Reply 1 on track, 2 delayed, 3 done',
  },
  hi: {
    long: 'जवाब दें: 1 अगर काम समय पर है, 2 अगर देरी है (कारण भी लिखें), 3 अगर पूरा हो गया, या छोटा सा अपडेट लिखें।',
    short: 'जवाब: 1 समय पर, 2 देरी, 3 पूरा',
  },
} as const;

/**
 * The reply options line for `{{replyOptions}}`: `long` for email and WhatsApp, `short` for
 * SMS (single line, GSM-7 in English).
 */
export function replyOptionsText(locale: NotificationLocale, style: 'long' | 'short' = 'long'): string {
  return TEXT[locale][style];
}
