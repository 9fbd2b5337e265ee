import { wallTimeIn } from '../money/index.ts';

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Day starts repeat across a batch (one due date for many invoices) and Intl is slow; keep a few.
const dayStarts = new Map<string, number>();
const MAX_CACHED_DAY_STARTS = 4096;

/** The wall-clock reading in `timeZone`, as milliseconds on a UTC timeline. */
function wallClockMs(date: Date, timeZone: string): number {
  const { year, month, day, hour, minute, second } = wallTimeIn(date, timeZone);
  return Date.UTC(year, month - 1, day, hour, minute, second) + date.getUTCMilliseconds();
}

/**
 * The instant a calendar day starts in `timeZone` (00:00 there, or the first existing minute
 * when a clock change skips midnight).
 *
 * @example startOfLocalDay('2026-05-01', 'Asia/Kolkata') // 2026-04-30T18:30:00.000Z
 */
export function startOfLocalDay(isoDate: string, timeZone: string): Date {
  const key = `${timeZone}|${isoDate}`;
  const cached = dayStarts.get(key);
  if (cached !== undefined) return new Date(cached);
  const start = computeStartOfLocalDay(isoDate, timeZone);
  if (dayStarts.size >= MAX_CACHED_DAY_STARTS) dayStarts.clear();
  dayStarts.set(key, start.getTime());
  return start;
}

function computeStartOfLocalDay(isoDate: string, timeZone: string): Date {
  const match = ISO_DATE.exec(isoDate);
  if (!match) throw new RangeError(`expected a YYYY-MM-DD date, got ${JSON.stringify(isoDate)}`);
  const target = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Two passes settle the offset even when the first guess lands across a clock change.
  let instant = target;
  for (let pass = 0; pass < 2; pass += 1) {
    instant = target - (wallClockMs(new Date(instant), timeZone) - instant);
  }
  while (wallClockMs(new Date(instant), timeZone) < target) instant += 60_000;
  return new Date(instant);
}

/** A calendar date moved by whole days. */
export function addDaysToIsoDate(isoDate: string, days: number): string {
  const match = ISO_DATE.exec(isoDate);
  if (!match) throw new RangeError(`expected a YYYY-MM-DD date, got ${JSON.stringify(isoDate)}`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + days * MS_PER_DAY;
  return new Date(ms).toISOString().slice(0, 10);
}

/** 1 for Monday … 7 for Sunday, for a `YYYY-MM-DD` date. */
export function isoWeekdayOf(isoDate: string): number {
  const day = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}
