import { DEFAULT_TIME_ZONE } from '../money/index.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar date (`YYYY-MM-DD`) of `at` in `timeZone`: what "today" means to the tenant,
 * which decides whether a due date has passed.
 *
 * @example dateInZone(new Date('2025-03-31T20:00:00Z'), 'Asia/Kolkata') // '2025-04-01'
 */
export function dateInZone(at: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', calendar: 'gregory' });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
