import { fromEpochDay, isIsoDate, toEpochDay, weekdayOf } from './date-only.ts';

/**
 * Which days are worked. `five-day` rests on Saturday and Sunday; `six-day` rests on Sunday
 * only, as many Indian sites, shops and factories do. Holidays are `YYYY-MM-DD` dates.
 */
export interface WorkingCalendar {
  /** @default 'five-day' */
  week?: 'five-day' | 'six-day';
  holidays?: readonly string[];
}

/** Largest |days| accepted, about 270 years of working days; more is a bug upstream. */
export const MAX_WORKING_DAY_SPAN = 100_000;

interface CompiledCalendar {
  sixDay: boolean;
  holidays: ReadonlySet<number>;
}

function compile(calendar: WorkingCalendar): CompiledCalendar {
  const { week = 'five-day', holidays = [] } = calendar;
  if (week !== 'five-day' && week !== 'six-day') throw new TypeError(`unknown week '${String(week)}'`);
  const days = new Set<number>();
  for (const holiday of holidays) {
    if (!isIsoDate(holiday)) throw new TypeError(`holiday ${JSON.stringify(holiday)} is not a YYYY-MM-DD date`);
    days.add(toEpochDay(holiday));
  }
  return { sixDay: week === 'six-day', holidays: days };
}

function isWorkedWeekday(day: number, sixDay: boolean): boolean {
  const weekday = weekdayOf(day);
  return weekday !== 0 && (weekday !== 6 || sixDay);
}

function works(day: number, calendar: CompiledCalendar): boolean {
  return isWorkedWeekday(day, calendar.sixDay) && !calendar.holidays.has(day);
}

/**
 * True when `date` is a working day of `calendar`. Dates are calendar days with no time zone:
 * `'YYYY-MM-DD'` strings, or Dates read at their UTC calendar day.
 *
 * @example isWorkingDay('2025-08-15', { holidays: ['2025-08-15'] }) // false
 */
export function isWorkingDay(date: string | Date, calendar: WorkingCalendar = {}): boolean {
  return works(toEpochDay(date), compile(calendar));
}

/**
 * The date `days` working days after `date` (before it, when negative). The start date itself
 * is never counted, so Friday plus one working day is Monday on a five-day week; zero returns
 * `date` unchanged even when it is not a working day.
 *
 * @example addWorkingDays('2025-01-03', 1) // '2025-01-06' (Friday → Monday)
 * @example addWorkingDays('2025-01-03', 1, { week: 'six-day' }) // '2025-01-04' (Saturday)
 */
export function addWorkingDays(date: string | Date, days: number, calendar: WorkingCalendar = {}): string {
  if (!Number.isInteger(days) || Math.abs(days) > MAX_WORKING_DAY_SPAN) {
    throw new RangeError(`days must be an integer within ±${MAX_WORKING_DAY_SPAN}, got ${days}`);
  }
  const compiled = compile(calendar);
  let day = toEpochDay(date);
  const step = days < 0 ? -1 : 1;
  for (let left = Math.abs(days); left > 0; ) {
    day += step;
    if (works(day, compiled)) left--;
  }
  return fromEpochDay(day);
}

/**
 * How many working days fall from `from` to `to`, both included; 0 when `to` is before `from`.
 *
 * @example countWorkingDays('2025-01-06', '2025-01-10') // 5 (Monday to Friday)
 */
export function countWorkingDays(from: string | Date, to: string | Date, calendar: WorkingCalendar = {}): number {
  const compiled = compile(calendar);
  const first = toEpochDay(from);
  const last = toEpochDay(to);
  if (last < first) return 0;
  // Whole weeks hold a fixed number of working days, so only the remainder is walked.
  const span = last - first + 1;
  const weeks = Math.floor(span / 7);
  let count = weeks * (compiled.sixDay ? 6 : 5);
  for (let day = first + weeks * 7; day <= last; day++) {
    if (isWorkedWeekday(day, compiled.sixDay)) count++;
  }
  for (const holiday of compiled.holidays) {
    if (holiday >= first && holiday <= last && isWorkedWeekday(holiday, compiled.sixDay)) count--;
  }
  return count;
}

/**
 * Calendar days from `from` to `to` (`to − from`); negative when `to` is earlier.
 *
 * @example calendarDaysBetween('2025-02-27', '2025-03-01') // 2
 */
export function calendarDaysBetween(from: string | Date, to: string | Date): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** `date` moved by `days` calendar days. */
export function addCalendarDays(date: string | Date, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return fromEpochDay(toEpochDay(date) + days);
}
