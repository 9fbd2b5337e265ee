import { z } from 'zod';
import { DEFAULT_TIME_ZONE, wallTimeIn } from '../money/index.ts';
import { instantOfWallTime } from './zoned-time.ts';

/** Day names for whole quiet days, Sunday first. */
export const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** One of {@link WEEKDAY_NAMES}. */
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

const clock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'a 24-hour time such as 21:00');

/**
 * When messages wait, in the tenant's zone: every day from `start` to `end` (wrapping
 * midnight when `start` is later than `end`, as in 21:00–08:00), plus whole `days` such as
 * Sunday. `start` equal to `end` means no nightly window.
 */
export const quietHoursSchema = z.strictObject({
  start: clock,
  end: clock,
  days: z.array(z.enum(WEEKDAY_NAMES)).max(6).optional(),
});

/** Parsed {@link quietHoursSchema}. */
export type QuietHours = z.output<typeof quietHoursSchema>;

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function inNightlyWindow(minute: number, start: number, end: number): boolean {
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * The instant quiet hours end, when `at` falls inside them; null when `at` is not quiet.
 * Computed on the tenant's wall clock, so it holds whatever zone the server runs in.
 *
 * @example
 * // 22:30 IST (17:00 UTC) with 21:00–08:00 quiet hours → 08:00 IST next morning (02:30 UTC)
 * quietHoursEnd(new Date('2026-03-02T17:00:00Z'), { start: '21:00', end: '08:00' }, 'Asia/Kolkata')
 */
export function quietHoursEnd(at: Date, quiet: QuietHours, timeZone: string = DEFAULT_TIME_ZONE): Date | null {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const quietDays = new Set((quiet.days ?? []).map((d) => WEEKDAY_NAMES.indexOf(d)));
  const wall = wallTimeIn(at, timeZone);
  // Walk the wall clock forward in "local days"; a Date.UTC stamp stands for the local reading.
  let cursor = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  let moved = false;
  for (let step = 0; step < 16; step += 1) {
    const local = new Date(cursor);
    const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
    const dayStart = cursor - minute * 60_000;
    if (quietDays.has(local.getUTCDay())) {
      cursor = dayStart + 86_400_000;
    } else if (inNightlyWindow(minute, start, end)) {
      cursor = start < end || minute < end ? dayStart + end * 60_000 : dayStart + 86_400_000 + end * 60_000;
    } else {
      if (!moved) return null;
      const wake = new Date(cursor);
      return instantOfWallTime(
        { year: wake.getUTCFullYear(), month: wake.getUTCMonth() + 1, day: wake.getUTCDate(), hour: wake.getUTCHours(), minute: wake.getUTCMinutes() },
        timeZone,
      );
    }
    moved = true;
  }
  // Every day is quiet: the schema allows at most six quiet days, so this is a bug.
  throw new Error('quiet hours never end');
}
