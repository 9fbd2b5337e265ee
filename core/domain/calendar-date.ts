import { isIsoDate } from '../schedule/index.ts';
import { dateInZone } from './tenant-today.ts';

/**
 * A calendar date (`YYYY-MM-DD`) from what callers send: a date as is, or an ISO date-time read
 * on the calendar of `timeZone`. Undefined for anything else.
 *
 * @example toCalendarDate('2025-04-01T20:00:00Z', 'Asia/Kolkata') // '2025-04-02'
 */
export function toCalendarDate(input: string, timeZone?: string): string | undefined {
  const value = input.trim();
  if (isIsoDate(value)) return value;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : dateInZone(at, timeZone);
}

/** True for an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant a calendar day starts in `timeZone` (midnight there, as UTC).
 *
 * @example startOfDayInZone('2025-04-01', 'Asia/Kolkata') // 2025-03-31T18:30:00.000Z
 */
export function startOfDayInZone(date: string, timeZone: string): Date {
  const guess = Date.parse(`${date}T00:00:00Z`);
  // Two passes settle zones whose offset changes around midnight.
  let at = guess;
  for (let i = 0; i < 2; i += 1) at = guess - offsetMs(new Date(at), timeZone);
  return new Date(at);
}

function offsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return local - Math.floor(at.getTime() / 1000) * 1000;
}
