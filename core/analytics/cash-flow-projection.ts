import { addDaysToIsoDate, isoWeekdayOf, isValidTimeZone, localDateOf, startOfLocalDay } from '../invoicing/index.ts';
import type { Filter } from '../store/index.ts';
import { assertInstant, runPipeline } from './analytics-source.ts';
import type { AnalyticsSource } from './analytics-source.ts';
import { DEFAULT_STATUS_SETS, INVOICE_FIELDS, MILESTONE_FIELDS, OPEN_INVOICE_STATUSES } from './assumed-shapes.ts';
import type { InvoiceFields, MilestoneFields } from './assumed-shapes.ts';
import { daysToPay } from './days-to-pay.ts';
import { assertDayOffset, DAY_MS, dueInstant, rangeIndex, ref } from './pipeline-expressions.ts';

/** Expected receipts in one period, in paise. */
export interface CashFlowPeriod {
  /** Start of the period in the tenant's zone (a Monday for weeks, the 1st for months). */
  start: Date;
  end: Date;
  /** `2026-05-04` (week starting) or `2026-05` (month). */
  label: string;
  amount: number;
  count: number;
  /** From milestones not yet invoiced. */
  milestones: { amount: number; count: number };
  /** From open invoice balances. */
  invoices: { amount: number; count: number };
}

export interface CashFlowProjection {
  asOf: Date;
  timeZone: string;
  weeks: CashFlowPeriod[];
  months: CashFlowPeriod[];
  /** Expected after the last month of the horizon. */
  later: { amount: number; count: number };
  /** Each client's average days late, as used (whole days; `defaultDaysLate` for unknown clients). */
  clientDelays: Array<{ clientName: string; averageDaysLate: number }>;
}

export interface CashFlowOptions {
  now: Date;
  /** The tenant's IANA zone: week and month boundaries follow its calendar. @default 'Asia/Kolkata' */
  timeZone?: string;
  /** @default 13 */
  weeks?: number;
  /** @default 6 */
  months?: number;
  /** Days late assumed for clients without payment history. @default 0 */
  defaultDaysLate?: number;
  milestoneFields?: Partial<MilestoneFields>;
  /** The milestones' due date field holds a calendar day, read at this UTC offset (see MilestoneMetricOptions). */
  milestoneDueDayOffset?: string;
  invoiceFields?: Partial<InvoiceFields>;
  /**
   * Which milestones still bring money in. Default: not cancelled, not yet invoiced or paid
   * (those are counted from their invoices), with an amount and a due date.
   */
  milestoneMatch?: Filter;
  /** Count open invoice balances too (expected at due date + the client's days late). @default true */
  includeOpenInvoices?: boolean;
}

interface Boundaries {
  weeks: Date[];
  months: Date[];
}

/** Week (Monday) and month starts on the tenant's calendar, from the period holding `now`. */
export function projectionBoundaries(now: Date, timeZone: string, weeks: number, months: number): Boundaries {
  const today = localDateOf(now, timeZone);
  const monday = addDaysToIsoDate(today, 1 - isoWeekdayOf(today));
  const weekStarts = Array.from({ length: weeks + 1 }, (_, i) => startOfLocalDay(addDaysToIsoDate(monday, 7 * i), timeZone));
  const [y, m] = today.split('-').map(Number) as [number, number];
  const monthStarts = Array.from({ length: months + 1 }, (_, i) => {
    const month = m - 1 + i;
    const iso = `${y + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-01`;
    return startOfLocalDay(iso, timeZone);
  });
  return { weeks: weekStarts, months: monthStarts };
}

/**
 * The projection pipeline for one source of expected money. Each row's expected date is
 * `due + termsDays + the client's average days late`, never earlier than `now` (money already
 * late is expected now), bucketed by week and by month.
 */
export function cashFlowPipeline(input: {
  now: Date;
  match: Filter;
  amount: string;
  due: string;
  client: string;
  termsDays?: string;
  /** `due` holds a calendar day (`YYYY-MM-DD`), read as the start of that day at this UTC offset. */
  dueDayOffset?: string;
  delays: ReadonlyArray<{ clientName: string; averageDaysLate: number }>;
  defaultDaysLate: number;
  boundaries: Boundaries;
}): Record<string, unknown>[] {
  assertInstant(input.now, 'now');
  assertDayOffset(input.dueDayOffset);
  const names = input.delays.map((d) => d.clientName);
  const days = input.delays.map((d) => d.averageDaysLate);
  const output = { amount: { $sum: '$amount' }, count: { $sum: '$count' } };
  return [
    { $match: input.match },
    // Rows of one client due on one day with the same terms land on one date: compute per group.
    {
      $group: {
        _id: { c: ref(input.client), d: ref(input.due), t: input.termsDays ? { $ifNull: [ref(input.termsDays), 0] } : { $literal: 0 } },
        amount: { $sum: ref(input.amount) },
        count: { $sum: 1 },
      },
    },
    { $match: { '_id.d': { $ne: null }, amount: { $gt: 0 } } },
    {
      $addFields: {
        late: {
          $let: {
            vars: { i: { $indexOfArray: [{ $literal: names }, '$_id.c'] } },
            in: { $cond: [{ $gte: ['$$i', 0] }, { $arrayElemAt: [{ $literal: days }, '$$i'] }, input.defaultDaysLate] },
          },
        },
      },
    },
    {
      $addFields: {
        expected: { $max: [{ $add: [dueInstant('_id.d', input.dueDayOffset), { $multiply: [{ $add: ['$_id.t', '$late'] }, DAY_MS] }] }, { $literal: input.now }] },
      },
    },
    {
      $facet: {
        weeks: [{ $group: { _id: rangeIndex('$expected', input.boundaries.weeks, { below: 'earlier', above: 'later' }), ...output } }],
        months: [{ $group: { _id: rangeIndex('$expected', input.boundaries.months, { below: 'earlier', above: 'later' }), ...output } }],
      },
    },
  ];
}

type BucketRow = { _id: number | string; amount: number; count: number };

/**
 * Cash-flow projection by week and by month: milestones not yet invoiced (amount at their due
 * date plus payment terms) and open invoice balances (at their due date), each moved by the
 * client's historical average days late (from paid invoices). Two collections, no `$lookup`:
 * the client delays are computed first and passed into the milestone pipeline as literals.
 */
export async function cashFlowProjection(
  sources: { milestones: AnalyticsSource; invoices: AnalyticsSource },
  options: CashFlowOptions,
): Promise<CashFlowProjection> {
  assertInstant(options.now, 'now');
  const timeZone = options.timeZone ?? 'Asia/Kolkata';
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone ${timeZone}`);
  const weeks = options.weeks ?? 13;
  const months = options.months ?? 6;
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 260) throw new RangeError('weeks must be 1–260');
  if (!Number.isInteger(months) || months < 1 || months > 60) throw new RangeError('months must be 1–60');
  const defaultDaysLate = options.defaultDaysLate ?? 0;
  const mf = { ...MILESTONE_FIELDS, ...options.milestoneFields };
  const inf = { ...INVOICE_FIELDS, ...options.invoiceFields };

  const history = await daysToPay(sources.invoices, { fields: inf });
  const delays = history
    .filter((c) => typeof c.clientName === 'string' && c.averageDaysLate !== null)
    .map((c) => ({ clientName: c.clientName, averageDaysLate: Math.round(c.averageDaysLate as number) }));
  const boundaries = projectionBoundaries(options.now, timeZone, weeks, months);
  const common = { now: options.now, delays, defaultDaysLate, boundaries };

  const milestoneMatch: Filter = options.milestoneMatch ?? {
    [mf.status]: { $nin: ['invoiced', 'paid', ...DEFAULT_STATUS_SETS.cancelled] },
    [mf.statusCategory]: { $ne: 'cancelled' },
    [mf.amount]: { $gt: 0 },
  };
  const [fromMilestones] = await runPipeline<{ weeks: BucketRow[]; months: BucketRow[] }>(
    sources.milestones,
    cashFlowPipeline({
      ...common,
      match: milestoneMatch,
      amount: mf.amount,
      due: mf.dueDate,
      client: mf.clientName,
      termsDays: mf.paymentDueInDays,
      ...(options.milestoneDueDayOffset !== undefined ? { dueDayOffset: options.milestoneDueDayOffset } : {}),
    }),
  );
  const [fromInvoices] =
    options.includeOpenInvoices === false
      ? [undefined]
      : await runPipeline<{ weeks: BucketRow[]; months: BucketRow[] }>(
          sources.invoices,
          cashFlowPipeline({
            ...common,
            match: { [inf.status]: { $in: [...OPEN_INVOICE_STATUSES] }, [inf.balance]: { $gt: 0 } },
            amount: inf.balance,
            due: inf.dueDate,
            client: inf.clientName,
          }),
        );

  const later = { amount: 0, count: 0 };
  const periods = (bounds: Date[], kind: 'weeks' | 'months'): CashFlowPeriod[] => {
    const pick = (rows: BucketRow[] | undefined, index: number) => {
      const row = rows?.find((r) => r._id === index);
      return { amount: row?.amount ?? 0, count: row?.count ?? 0 };
    };
    return bounds.slice(0, -1).map((start, i) => {
      const milestones = pick(fromMilestones?.[kind], i);
      const invoices = pick(fromInvoices?.[kind], i);
      const label = localDateOf(start, timeZone);
      return {
        start,
        end: bounds[i + 1]!,
        label: kind === 'weeks' ? label : label.slice(0, 7),
        amount: milestones.amount + invoices.amount,
        count: milestones.count + invoices.count,
        milestones,
        invoices,
      };
    });
  };
  for (const rows of [fromMilestones?.months, fromInvoices?.months]) {
    const row = rows?.find((r) => r._id === 'later');
    if (row) {
      later.amount += row.amount;
      later.count += row.count;
    }
  }
  return {
    asOf: options.now,
    timeZone,
    weeks: periods(boundaries.weeks, 'weeks'),
    months: periods(boundaries.months, 'months'),
    later,
    clientDelays: delays,
  };
}
