import type { Filter } from '../store/index.ts';
import { runPipeline } from './analytics-source.ts';
import type { AnalyticsSource } from './analytics-source.ts';
import { INVOICE_FIELDS } from './assumed-shapes.ts';
import type { InvoiceFields } from './assumed-shapes.ts';
import { countIf, DAY_MS, present, ratio, ref } from './pipeline-expressions.ts';
import { windowMatch } from './time-window.ts';
import type { TimeWindow } from './time-window.ts';

/** How one client pays. */
export interface ClientDaysToPay {
  clientName: string;
  /** Invoices paid (in the window). */
  invoices: number;
  /** Average days from sending to payment, to one place. */
  averageDaysToPay: number | null;
  maxDaysToPay: number | null;
  /** Average whole days paid after the due day (negative: early), to one place. */
  averageDaysLate: number | null;
  /** Invoices paid after their due day. */
  paidLate: number;
}

/** The days-to-pay pipeline over invoices paid in the window (by `paidAt`). */
export function daysToPayPipeline(options: TimeWindow & { fields?: Partial<InvoiceFields>; match?: Filter } = {}): Record<string, unknown>[] {
  const f = { ...INVOICE_FIELDS, ...options.fields };
  return [
    ...(options.match ? [{ $match: options.match }] : []),
    { $match: { [f.sentAt]: { $ne: null }, [f.paidAt]: { $ne: null } } },
    ...windowMatch(f.paidAt, options),
    {
      $project: {
        _id: 0,
        clientName: ref(f.clientName),
        days: { $divide: [{ $subtract: [ref(f.paidAt), ref(f.sentAt)] }, DAY_MS] },
        // Whole days after the start of the due day: paying on the due day is 0 days late.
        late: { $floor: { $divide: [{ $subtract: [ref(f.paidAt), { $ifNull: [ref(f.dueDate), ref(f.paidAt)] }] }, DAY_MS] } },
        hasDue: countIf(present(ref(f.dueDate))),
      },
    },
    {
      $group: {
        _id: '$clientName',
        invoices: { $sum: 1 },
        sumDays: { $sum: '$days' },
        maxDays: { $max: '$days' },
        sumLate: { $sum: '$late' },
        withDue: { $sum: '$hasDue' },
        paidLate: { $sum: countIf({ $gt: ['$late', 0] }) },
      },
    },
    {
      $project: {
        _id: 0,
        clientName: '$_id',
        invoices: 1,
        averageDaysToPay: ratio('$sumDays', '$invoices', 1),
        maxDaysToPay: { $round: ['$maxDays', 1] },
        averageDaysLate: ratio('$sumLate', '$withDue', 1),
        paidLate: 1,
      },
    },
    { $sort: { averageDaysToPay: -1, clientName: 1 } },
  ];
}

/** Days to pay per client: invoice sent → paid, and paid relative to the due day. */
export function daysToPay(
  source: AnalyticsSource,
  options: TimeWindow & { fields?: Partial<InvoiceFields>; match?: Filter } = {},
): Promise<ClientDaysToPay[]> {
  return runPipeline<ClientDaysToPay>(source, daysToPayPipeline(options));
}
