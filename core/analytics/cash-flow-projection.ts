import { addDaysToIsoDate, isoWeekdayOf, isValidTimeZone, localDateOf, startOfLocalDay } from '../invoicing/index.ts';
import type { Filter } from '../store/index.ts';
import { assertInstant, runPipeline } from './analytics-source.ts';
import type { AnalyticsSource } from './analytics-source.ts';
import { DEFAULT_STATUS_SETS, INVOICE_FIELDS, MILESTONE_FIELDS, OPEN_INVOICE_STATUSES, PROJECT_FIELDS } from './assumed-shapes.ts';
import type { InvoiceFields, MilestoneFields, ProjectFields } from './assumed-shapes.ts';
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
  projectFields?: Partial<ProjectFields>;
  /**
   * The supplier's GST state code: a project whose client is in the same state pays CGST + SGST
   * (each rounded on half the rate, as invoices do), any other IGST. Without it, IGST rounding.
   */
  supplierStateCode?: string;
}

/** What the milestone pipeline knows of each project: client, contract value, intra-state supply. */
export interface ProjectFacts {
  id: string;
  clientName?: string | null;
  contractValue?: number | null;
  intraState?: boolean;
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
 * `round half-up (amount × basisPoints / divisor)` for a non-negative whole `amount`, exact in
 * doubles for any safe amount: the quotient and the remainder of `amount / divisor` are scaled
 * apart, so no product passes 2^53. This is how `percentOf` and the GST split round.
 */
function scaledHalfUp(amount: unknown, basisPoints: unknown, divisor: number): unknown {
  return {
    $let: {
      vars: { rem: { $mod: [amount, divisor] } },
      in: {
        $add: [
          { $multiply: [{ $divide: [{ $subtract: [amount, '$$rem'] }, divisor] }, basisPoints] },
          { $floor: { $divide: [{ $add: [{ $multiply: ['$$rem', basisPoints] }, divisor / 2] }, divisor] } },
        ],
      },
    },
  };
}

/** Percent with at most two decimals as basis points (18 → 1800). */
const basisPoints = (percent: unknown): unknown => ({ $round: [{ $multiply: [percent, 100] }, 0] });

/**
 * The projection pipeline for one source of expected money. Each row's expected date is
 * `due + termsDays + the client's average days late`, never earlier than `now` (money already
 * late is expected now), bucketed by week and by month.
 *
 * With `percent`, a row without an amount is worth that percent of its project's contract value
 * (rounded half-up to the paisa); with `gstRate`, GST is added to each row's value, rounded as
 * an invoice line is. `projects` (looked up by the row's `project` field) gives contract values
 * and, where the rows name no client, the client. All arithmetic runs on groups of rows with the
 * same terms, never per row.
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
  percent?: string;
  gstRate?: string;
  project?: string;
  projects?: ReadonlyArray<ProjectFacts>;
}): Record<string, unknown>[] {
  assertInstant(input.now, 'now');
  assertDayOffset(input.dueDayOffset);
  const names = input.delays.map((d) => d.clientName);
  const days = input.delays.map((d) => d.averageDaysLate);
  const output = { amount: { $sum: '$amount' }, count: { $sum: '$count' } };
  const projects = input.project ? (input.projects ?? []) : [];
  const fromProjects = projects.length > 0;
  // The row's project facts, by the index `i` of its project in `projects` (-1 for none).
  const projectOf = <T>(values: T[]) => ({ $cond: [{ $gte: ['$i', 0] }, { $arrayElemAt: [{ $literal: values }, '$i'] }, null] });
  // The row's value before GST: its amount, or its percent of the project's contract value.
  const base = input.percent
    ? {
        $cond: [
          { $gt: [{ $ifNull: ['$_id.a', 0] }, 0] },
          '$_id.a',
          {
            $cond: [
              { $and: [{ $gt: [{ $ifNull: ['$_id.pc', 0] }, 0] }, { $gt: [{ $ifNull: ['$$contract', 0] }, 0] }] },
              scaledHalfUp('$$contract', basisPoints('$_id.pc'), 10_000),
              0,
            ],
          },
        ],
      }
    : { $ifNull: ['$_id.a', 0] };
  const gst = input.gstRate
    ? {
        $cond: [
          { $gt: ['$_id.r', 0] },
          { $cond: ['$$intra', { $multiply: [2, scaledHalfUp('$$base', basisPoints('$_id.r'), 20_000)] }, scaledHalfUp('$$base', basisPoints('$_id.r'), 10_000)] },
          0,
        ],
      }
    : 0;
  return [
    { $match: input.match },
    // Rows of one client and project due on one day with the same terms and value land on one
    // date with one amount each: group first, then compute per group.
    {
      $group: {
        _id: {
          c: ref(input.client),
          ...(fromProjects ? { p: ref(input.project!) } : {}),
          d: ref(input.due),
          t: input.termsDays ? { $ifNull: [ref(input.termsDays), 0] } : { $literal: 0 },
          a: ref(input.amount),
          ...(input.percent ? { pc: ref(input.percent) } : {}),
          ...(input.gstRate ? { r: { $ifNull: [ref(input.gstRate), 0] } } : {}),
        },
        count: { $sum: 1 },
      },
    },
    { $match: { '_id.d': { $ne: null } } },
    // Groups of one value (client, project, amount or percent, GST rate) carry their due days and
    // terms as rows: the value, the client and its delay are computed once per value, not per day.
    {
      $group: {
        _id: { c: '$_id.c', ...(fromProjects ? { p: '$_id.p' } : {}), a: '$_id.a', ...(input.percent ? { pc: '$_id.pc' } : {}), ...(input.gstRate ? { r: '$_id.r' } : {}) },
        rows: { $push: { d: '$_id.d', t: '$_id.t', n: '$count' } },
      },
    },
    {
      $project: {
        _id: 1,
        rows: 1,
        ...(fromProjects
          ? { i: { $indexOfArray: [{ $literal: projects.map((p) => p.id) }, '$_id.p'] } }
          : { i: { $literal: -1 } }),
      },
    },
    {
      $project: {
        rows: 1,
        client: { $ifNull: [fromProjects ? projectOf(projects.map((p) => p.clientName ?? null)) : null, '$_id.c'] },
        // `base` reads `$$contract` and `gst` reads `$$base`: a variable is visible only in its `$let`'s `in`.
        value: {
          $let: {
            vars: {
              contract: fromProjects ? projectOf(projects.map((p) => p.contractValue ?? null)) : null,
              intra: fromProjects ? { $eq: [projectOf(projects.map((p) => p.intraState === true)), true] } : false,
            },
            in: { $let: { vars: { base }, in: { $add: ['$$base', gst] } } },
          },
        },
      },
    },
    { $match: { value: { $gt: 0 } } },
    {
      $project: {
        rows: 1,
        value: 1,
        late: {
          $let: {
            vars: { i: { $indexOfArray: [{ $literal: names }, '$client'] } },
            in: { $cond: [{ $gte: ['$$i', 0] }, { $arrayElemAt: [{ $literal: days }, '$$i'] }, input.defaultDaysLate] },
          },
        },
      },
    },
    { $unwind: '$rows' },
    // Everything due on one day with the same terms and delay lands on one date: date it once.
    {
      $group: {
        _id: { d: '$rows.d', t: '$rows.t', late: '$late' },
        amount: { $sum: { $multiply: ['$value', '$rows.n'] } },
        count: { $sum: '$rows.n' },
      },
    },
    {
      $project: {
        amount: 1,
        count: 1,
        expected: { $max: [{ $add: [dueInstant('_id.d', input.dueDayOffset), { $multiply: [{ $add: ['$_id.t', '$_id.late'] }, DAY_MS] }] }, { $literal: input.now }] },
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

/** Each project's client, contract value and whether its supply is intra-state, read by a pipeline on either store. */
async function projectFacts(source: AnalyticsSource, f: ProjectFields, supplierStateCode: string | undefined): Promise<ProjectFacts[]> {
  const rows = await runPipeline<{ _id: string; c?: unknown; v?: unknown; s?: unknown }>(source, [
    { $project: { _id: 1, c: ref(f.clientName), v: ref(f.contractValue), s: ref(f.clientStateCode) } },
  ]);
  return rows.map((r) => ({
    id: r._id,
    clientName: typeof r.c === 'string' ? r.c : null,
    contractValue: typeof r.v === 'number' && Number.isSafeInteger(r.v) && r.v > 0 ? r.v : null,
    intraState: supplierStateCode !== undefined && r.s === supplierStateCode,
  }));
}

/**
 * Cash-flow projection by week and by month: milestones not yet invoiced (their amount, or their
 * percent of the project's contract value, plus GST, at their due date plus payment terms) and
 * open invoice balances (at their due date), each moved by the client's historical average days
 * late (from paid invoices). A milestone's client is its project's (`sources.projects`), else its
 * own `clientName`. No `$lookup`: the client delays and the projects are read first and passed
 * into the milestone pipeline as literals.
 */
export async function cashFlowProjection(
  sources: { milestones: AnalyticsSource; invoices: AnalyticsSource; projects?: AnalyticsSource },
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
    $or: [{ [mf.amount]: { $gt: 0 } }, { [mf.percent]: { $gt: 0 } }],
  };
  const projects = sources.projects ? await projectFacts(sources.projects, { ...PROJECT_FIELDS, ...options.projectFields }, options.supplierStateCode) : [];
  const [fromMilestones] = await runPipeline<{ weeks: BucketRow[]; months: BucketRow[] }>(
    sources.milestones,
    cashFlowPipeline({
      ...common,
      match: milestoneMatch,
      amount: mf.amount,
      percent: mf.percent,
      gstRate: mf.gstRate,
      due: mf.dueDate,
      client: mf.clientName,
      termsDays: mf.paymentDueInDays,
      ...(projects.length > 0 ? { project: mf.projectId, projects } : {}),
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
