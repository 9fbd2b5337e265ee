import type { Filter } from '../store/index.ts';

/** A half-open window `[since, until)` on one date field; either end may be open. */
export interface TimeWindow {
  since?: Date;
  until?: Date;
}

/** The `$match` stage for a window on `field`, or nothing when the window is open. */
export function windowMatch(field: string, window: TimeWindow): Filter[] {
  const range: Record<string, Date> = {};
  if (window.since) range.$gte = window.since;
  if (window.until) range.$lt = window.until;
  return Object.keys(range).length > 0 ? [{ $match: { [field]: range } }] : [];
}
