import { z } from 'zod';

const ISO_DURATION = /^P(?:(\d{1,4})W)?(?:(\d{1,5})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,7})M)?(?:(\d{1,8})S)?)?$/;

const MS = { week: 604_800_000, day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1_000 } as const;

/**
 * Milliseconds in an ISO 8601 duration made of weeks, days, hours, minutes and seconds
 * (`P1D`, `PT36H`, `P1DT12H`, `P2W`), or null. A day is 24 hours: schedules are instants.
 * Years and months are refused because their length depends on the calendar.
 *
 * @example parseDuration('P2D') // 172800000
 */
export function parseDuration(text: string): number | null {
  const match = ISO_DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return null;
  const [, w, d, h, m, s] = match;
  return (
    Number(w ?? 0) * MS.week +
    Number(d ?? 0) * MS.day +
    Number(h ?? 0) * MS.hour +
    Number(m ?? 0) * MS.minute +
    Number(s ?? 0) * MS.second
  );
}

/** An ISO 8601 duration string ({@link parseDuration} accepts it). */
export const durationSchema = z
  .string()
  .refine((value) => parseDuration(value) !== null, { message: 'expected an ISO 8601 duration such as P1D, PT12H or P1DT6H' });

/** Parses a duration that a schema has already checked; a failure here is a bug. */
export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new RangeError(`invalid duration ${JSON.stringify(text)}`);
  return ms;
}
