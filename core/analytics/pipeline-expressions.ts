import type { Filter } from '../store/index.ts';
import type { StatusSets } from './assumed-shapes.ts';

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

type Expr = unknown;

// Stand-ins for absent dates, so date arithmetic never meets null (mingo throws on it). Dates are
// constants in MongoDB expressions and mingo alike, so they need no $literal (which costs an
// operator evaluation per document on mingo).
const FAR_FUTURE = new Date(8.64e15);
const FAR_PAST = new Date(-8.64e15);
/** Day differences at or beyond this come from a missing date, not from a real delay. */
export const MISSING_DAYS = 1_000_000;

/** `$path` for a field path. */
export const ref = (path: string): string => `$${path}`;

/** True when the expression is neither missing nor null. */
export const present = (expr: Expr): Expr => ({ $ne: [{ $ifNull: [expr, null] }, null] });

/** 1 when the condition holds, else 0: for `$sum` counts. */
export const countIf = (condition: Expr): Expr => ({ $cond: [condition, 1, 0] });

/** `num / den` rounded, or null when `den` is 0 (mingo's `$avg` of nothing is 0, MongoDB's null). */
export function ratio(num: Expr, den: Expr, places: number): Expr {
  return { $cond: [{ $gt: [den, 0] }, { $round: [{ $divide: [num, den] }, places] }, null] };
}

/**
 * The due instant as an expression: the field itself when it holds dates, or, with `dayOffset`
 * (`+05:30`), the start of the calendar day (`YYYY-MM-DD`) it holds at that UTC offset. Null when
 * absent. Pipelines convert only the documents that need an instant, after cheaper stages.
 */
export function dueInstant(dueDate: string, dayOffset?: string): Expr {
  return dayOffset === undefined ? ref(dueDate) : { $toDate: { $concat: [ref(dueDate), `T00:00:00${dayOffset}`] } };
}

/**
 * A query condition on the due field: the due instant is at or before `instant` (absent due
 * dates never match). For calendar days the start of the day is at or before `instant` exactly
 * when the day is at or before the calendar day of `instant` at that offset, so strings compare.
 */
export function dueAtOrBefore(instant: Date, dayOffset?: string): Filter {
  return { $lte: dayOffset === undefined ? instant : calendarDayAt(instant, dayOffset) };
}

/** Throws a RangeError unless `offset` is a UTC offset such as `+05:30`. */
export function assertDayOffset(offset: string | undefined): void {
  if (offset !== undefined && !/^[+-](0\d|1[0-4]):[0-5]\d$/.test(offset)) throw new RangeError(`${offset} is not a UTC offset such as +05:30`);
}

/** `YYYY-MM-DD` of `instant` at a UTC offset such as `+05:30`. */
function calendarDayAt(instant: Date, offset: string): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number) as [number, number];
  return new Date(instant.getTime() + sign * (h * 60 + m) * 60_000).toISOString().slice(0, 10);
}

/**
 * Whole days from the start of the due day to completion (0 on the due day, negative when
 * early); at least {@link MISSING_DAYS} when either date is absent. `due` is an instant expression.
 */
export function completionDays(completedAt: string, due: Expr): Expr {
  return { $floor: { $divide: [{ $subtract: [{ $ifNull: [ref(completedAt), FAR_FUTURE] }, { $ifNull: [due, FAR_PAST] }] }, DAY_MS] } };
}

/** From {@link completionDays}: 1 when completed no later than the due day. */
export const onTimeFromDays = (days: Expr): Expr => countIf({ $lte: [days, 0] });

/** From {@link completionDays}: whole days late, 0 when on time or a date is absent. */
export const lateFromDays = (days: Expr): Expr => ({ $cond: [{ $lt: [days, MISSING_DAYS] }, { $max: [0, days] }, 0] });

/** 1 when completed no later than the due day (`completedAt − due < 1 day`); 0 when a date is absent. */
export function onTimeFlag(completedAt: string, due: Expr): Expr {
  return countIf({ $lt: [{ $subtract: [{ $ifNull: [ref(completedAt), FAR_FUTURE] }, { $ifNull: [due, FAR_PAST] }] }, DAY_MS] });
}

/** Whole days from the start of the due day to `end` (a date expression), never negative; 0 without a due date. */
export function daysPastDue(end: Expr, due: Expr): Expr {
  return { $max: [0, { $floor: { $divide: [{ $subtract: [end, { $ifNull: [due, FAR_FUTURE] }] }, DAY_MS] } }] };
}

/**
 * The query matching documents whose category (or, without one, state) says done. A query, not
 * an expression: mingo evaluates queries several times faster, and so they classify documents.
 */
export function doneQuery(statusCategory: string, status: string, sets: StatusSets): Filter {
  return { $or: [{ [statusCategory]: 'done' }, { [statusCategory]: null, [status]: { $in: sets.done } }] };
}

/** The query matching documents whose category (or, without one, state) says cancelled. */
export function cancelledQuery(statusCategory: string, status: string, sets: StatusSets): Filter {
  return { $or: [{ [statusCategory]: 'cancelled' }, { [statusCategory]: null, [status]: { $in: sets.cancelled } }] };
}

/** True when a category (or, without one, a state) says done. Paths may point into `_id`. */
export function isDoneExpr(statusCategory: string, status: string, sets: StatusSets): Expr {
  return {
    $cond: [present(ref(statusCategory)), { $eq: [ref(statusCategory), 'done'] }, { $in: [ref(status), { $literal: sets.done }] }],
  };
}

/** True when a category (or, without one, a state) says cancelled. */
export function isCancelledExpr(statusCategory: string, status: string, sets: StatusSets): Expr {
  return {
    $cond: [
      present(ref(statusCategory)),
      { $eq: [ref(statusCategory), 'cancelled'] },
      { $in: [ref(status), { $literal: sets.cancelled }] },
    ],
  };
}

/**
 * The index of the half-open range `[boundaries[i], boundaries[i + 1])` holding the value;
 * `below` under the first boundary (and for null), `above` from the last one on. Used instead of
 * `$bucket`: mingo 6 files a value equal to an inner boundary under the range below it, MongoDB
 * under the range it opens.
 */
export function rangeIndex(value: Expr, boundaries: readonly (number | Date)[], keys: { below: string; above: string }): Expr {
  return {
    $switch: {
      branches: [
        { case: { $lt: [value, boundaries[0]!] }, then: keys.below },
        ...boundaries.slice(1).map((b, i) => ({ case: { $lt: [value, b] }, then: i })),
      ],
      default: keys.above,
    },
  };
}
