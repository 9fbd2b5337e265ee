const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();
// Day starts repeat across a batch (one due date for many invoices) and Intl is slow; keep a few.
const dayStarts = new Map<string, number>();
const MAX_CACHED_DAY_STARTS = 4096;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClock(date: Date, timeZone: string): { year: number; month: number; day: number; ms: number } {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const year = parts.year ?? 0;
  const month = parts.month ?? 1;
  const day = parts.day ?? 1;
  const ms = Date.UTC(year, month - 1, day, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0) + date.getUTCMilliseconds();
  return { year, month, day, ms };
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone.length === 0) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The calendar date (`YYYY-MM-DD`) an instant falls on in `timeZone`.
 *
 * @example localDateOf(new Date('2027-03-31T20:00:00Z'), 'Asia/Kolkata') // '2027-04-01'
 */
export function localDateOf(date: Date, timeZone: string): string {
  const { year, month, day } = wallClock(date, timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
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
    instant = target - (wallClock(new Date(instant), timeZone).ms - instant);
  }
  while (wallClock(new Date(instant), timeZone).ms < target) instant += 60_000;
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
