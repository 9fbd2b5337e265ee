import { DEFAULT_TIME_ZONE } from './default-time-zone.ts';
import { languageOf } from './inr-locale.ts';
import type { DigitSystem, InrLocale } from './inr-locale.ts';

/** Options for {@link tzFormat}. */
export interface TzFormatOptions {
  /** IANA zone of the tenant. @default 'Asia/Kolkata' */
  timeZone?: string;
  /** @default 'en-IN' */
  locale?: InrLocale;
  /** `date`: `21 Nov 2026`; `date-time`: `21 Nov 2026, 3:45 pm`. @default 'date' */
  style?: 'date' | 'date-time';
  /** `short`: `21 Nov 2026`; `long`: `21 November 2026`; `numeric`: `21/11/2026`. @default 'short' */
  month?: 'short' | 'long' | 'numeric';
  /** 12-hour clock with am/pm, as most Indian documents use. @default true */
  hour12?: boolean;
  /** @default 'latn' */
  digits?: DigitSystem;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Formats an instant on the calendar and clock of a tenant's zone, in Indian English or Hindi.
 *
 * Spaces are plain ASCII: some ICU builds put narrow no-break spaces before am/pm, which SMS
 * gateways and PDF fonts mangle. Throws a RangeError for an invalid date or unknown zone.
 *
 * @example tzFormat(new Date('2026-11-21T10:15:00Z')) // '21 Nov 2026'
 * @example tzFormat(new Date('2026-11-21T10:15:00Z'), { locale: 'hi-IN' }) // '21 नव॰ 2026'
 * @example tzFormat(new Date('2026-11-21T10:15:00Z'), { style: 'date-time' }) // '21 Nov 2026, 3:45 pm'
 */
export function tzFormat(date: Date, options: TzFormatOptions = {}): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError('tzFormat needs a valid Date');
  const {
    timeZone = DEFAULT_TIME_ZONE,
    locale = 'en-IN',
    style = 'date',
    month = 'short',
    hour12 = true,
    digits = 'latn',
  } = options;
  const language = languageOf(locale);
  if (digits !== 'latn' && digits !== 'deva') throw new RangeError(`unsupported digits ${String(digits)}`);
  const key = [timeZone, language, style, month, hour12, digits].join('|');
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(`${language}-IN`, {
      timeZone,
      calendar: 'gregory',
      numberingSystem: digits,
      day: month === 'numeric' ? '2-digit' : 'numeric',
      month: month === 'numeric' ? '2-digit' : month,
      year: 'numeric',
      ...(style === 'date-time' ? { hour: hour12 ? 'numeric' : '2-digit', minute: '2-digit', hourCycle: hour12 ? 'h12' : 'h23' } : {}),
    });
    formatters.set(key, formatter);
  }
  return formatter.format(date).replace(/[\u00A0\u202F]/g, ' ');
}
