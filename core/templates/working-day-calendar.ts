import type { Weekend } from './template-vocabulary.ts';

const DAY_MS = 86_400_000;
const LAST_DAY = Date.UTC(9999, 11, 31) / DAY_MS;

/** Weekly rest days and holidays that plans skip. */
export interface WorkingCalendarOptions {
  /** @default 'sat-sun' */
  readonly weekend?: Weekend | undefined;
  /** 'YYYY-MM-DD' dates. */
  readonly holidays?: readonly string[] | undefined;
}

/** Working days numbered from 0, the first working day on or after a start date. */
export interface WorkingDayCalendar {
  /** The date of working day `index`, or undefined past 9999-12-31. */
  dateAt(index: number): string | undefined;
}

/**
 * A working-day calendar private to templates, so plans need nothing outside this module.
 * Days are extended lazily and each is computed once, so a plan over centuries stays linear.
 */
export function createWorkingDayCalendar(startDate: string, { weekend = 'sat-sun', holidays = [] }: WorkingCalendarOptions = {}): WorkingDayCalendar {
  const start = dayNumber(startDate);
  if (start === undefined) throw new RangeError(`startDate must be a real 'YYYY-MM-DD' date, got '${startDate}'`);
  const closed = new Set<number>();
  for (const holiday of holidays) {
    const day = dayNumber(holiday);
    if (day === undefined) throw new RangeError(`holidays must be real 'YYYY-MM-DD' dates, got '${holiday}'`);
    closed.add(day);
  }
  const restDays = weekend === 'sun' ? [0] : [0, 6];
  const isWorking = (day: number): boolean => !closed.has(day) && !restDays.includes((((day + 4) % 7) + 7) % 7);
  const days: string[] = [];
  let next = start;
  return {
    dateAt(index: number): string | undefined {
      while (days.length <= index) {
        while (next <= LAST_DAY && !isWorking(next)) next += 1;
        if (next > LAST_DAY) return undefined;
        days.push(new Date(next * DAY_MS).toISOString().slice(0, 10));
        next += 1;
      }
      return days[index];
    },
  };
}

/** Days since 1970-01-01 for a real 'YYYY-MM-DD' date, otherwise undefined. */
export function dayNumber(date: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) return undefined;
  return ms / DAY_MS;
}
