const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar date written `YYYY-MM-DD` (no time, no zone). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  // Date.UTC rolls 2025-02-30 over to March; a real date survives the round trip.
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

/**
 * Days since 1970-01-01 for a `YYYY-MM-DD` string, or for a Date's UTC calendar day.
 * Throws a TypeError on anything else: callers validate dates at the boundary.
 */
export function toEpochDay(date: string | Date): number {
  if (date instanceof Date) {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new TypeError('invalid Date');
    return Math.floor(ms / MS_PER_DAY);
  }
  if (!isIsoDate(date)) throw new TypeError(`expected a YYYY-MM-DD date, got ${JSON.stringify(date)}`);
  return Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY;
}

/** The `YYYY-MM-DD` string for a day number from {@link toEpochDay}. */
export function fromEpochDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 for Sunday … 6 for Saturday, for a day number from {@link toEpochDay}. */
export function weekdayOf(day: number): number {
  // 1970-01-01 was a Thursday; the extra 7 keeps dates before 1970 non-negative.
  return (((day + 4) % 7) + 7) % 7;
}
