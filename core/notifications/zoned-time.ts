import { DEFAULT_TIME_ZONE, wallTimeIn } from '../money/index.ts';

function offsetAt(ms: number, timeZone: string): number {
  const w = wallTimeIn(new Date(ms), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which a clock in `timeZone` shows the given wall time. Month and day may
 * overflow (day 32 is the 1st of the next month). In a daylight-saving gap the later reading
 * is taken, so the result is never earlier than asked for.
 */
export function instantOfWallTime(
  wall: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number },
  timeZone: string = DEFAULT_TIME_ZONE,
): Date {
  const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour ?? 0, wall.minute ?? 0, wall.second ?? 0);
  const first = offsetAt(local, timeZone);
  let result = local - first;
  const second = offsetAt(result, timeZone);
  if (second !== first) result = Math.max(result, local - second);
  return new Date(result);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The parts of a real `YYYY-MM-DD` date, or null. */
export function parseIsoDate(value: string): { year: number; month: number; day: number } | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDaysToIsoDate(date: string, days: number): string {
  const parts = parseIsoDate(date);
  if (!parts) throw new RangeError(`expected a YYYY-MM-DD date, got ${JSON.stringify(date)}`);
  return new Date(Date.UTC(parts.year, parts.month - 1, parts.day + days)).toISOString().slice(0, 10);
}

// Calendar dates repeat across thousands of milestones; converting one costs a few Intl calls.
const dayCache = new Map<string, number>();
const DAY_CACHE_LIMIT = 50_000;

function dayInstant(date: string, timeZone: string, dayOffset: number): Date | null {
  const key = `${timeZone}|${date}|${dayOffset}`;
  let ms = dayCache.get(key);
  if (ms === undefined) {
    const parts = parseIsoDate(date);
    ms = parts ? instantOfWallTime({ year: parts.year, month: parts.month, day: parts.day + dayOffset }, timeZone).getTime() : NaN;
    if (dayCache.size >= DAY_CACHE_LIMIT) dayCache.clear();
    dayCache.set(key, ms);
  }
  return Number.isNaN(ms) ? null : new Date(ms);
}

/**
 * When a due date has passed: a `YYYY-MM-DD` due date lasts until midnight at the end of that
 * day in the tenant's zone; a `Date` is an instant already. Null for an invalid date string.
 */
export function endOfDueDay(due: string | Date, timeZone: string = DEFAULT_TIME_ZONE): Date | null {
  if (due instanceof Date) return Number.isNaN(due.getTime()) ? null : due;
  return dayInstant(due, timeZone, 1);
}

/** The start of a `YYYY-MM-DD` day in the tenant's zone, or the instant itself for a `Date`. */
export function startOfDay(date: string | Date, timeZone: string = DEFAULT_TIME_ZONE): Date | null {
  if (date instanceof Date) return Number.isNaN(date.getTime()) ? null : date;
  return dayInstant(date, timeZone, 0);
}
