import { DEFAULT_TIME_ZONE } from './default-time-zone.ts';
import { wallTimeIn } from './wall-time.ts';

/**
 * The calendar date (`YYYY-MM-DD`) in `timeZone` at `at`.
 *
 * @example dateInZone(new Date('2027-03-31T20:00:00Z'), 'Asia/Kolkata') // '2027-04-01'
 */
export function dateInZone(at: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const w = wallTimeIn(at, timeZone);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}
