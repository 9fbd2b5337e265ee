import { DEFAULT_TIME_ZONE } from './default-time-zone.ts';
import { wallTimeIn } from './wall-time.ts';

/** An Indian financial year, which runs from 1 April to 31 March. */
export interface FinancialYear {
  /** Calendar year of 1 April. */
  start: number;
  /** Calendar year of 31 March: `start + 1`. */
  end: number;
  /** `2026-27` (`1999-00` across a century, as the two-digit form is used on invoices). */
  label: string;
  /** `26-27`. */
  short: string;
}

/**
 * The financial year an instant falls in, as seen on the calendar of `timeZone`.
 *
 * The zone matters at the boundary: 2027-03-31T20:00Z is already 1 April 2027 in Kolkata.
 * Throws a RangeError for an invalid date, a year outside 2–9998, or an unknown time zone.
 *
 * @example financialYear(new Date('2026-11-21T10:00:00Z')) // { start: 2026, end: 2027, label: '2026-27', short: '26-27' }
 */
export function financialYear(date: Date, timeZone: string = DEFAULT_TIME_ZONE): FinancialYear {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError('financialYear needs a valid Date');
  const utcYear = date.getUTCFullYear();
  // Intl spells years before year 1 with an era; nothing billed lives there, so refuse them.
  if (utcYear < 2 || utcYear > 9998) throw new RangeError(`financialYear supports years 2 to 9998, got ${utcYear}`);
  const { year, month } = wallTimeIn(date, timeZone);
  const start = month >= 4 ? year : year - 1;
  const end = start + 1;
  const two = (y: number): string => String(y % 100).padStart(2, '0');
  return { start, end, label: `${start}-${two(end)}`, short: `${two(start)}-${two(end)}` };
}
