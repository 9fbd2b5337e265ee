import type { Filter } from '../store/index.ts';
import { assertInstant, runPipeline } from './analytics-source.ts';
import type { AnalyticsSource } from './analytics-source.ts';
import { INVOICE_FIELDS, OPEN_INVOICE_STATUSES } from './assumed-shapes.ts';
import type { InvoiceFields } from './assumed-shapes.ts';
import { DAY_MS, ref } from './pipeline-expressions.ts';

/** Ageing buckets: not yet past due, then whole days past the due day. */
export const AGEING_BUCKETS = ['current', '0-30', '31-60', '61-90', '90+'] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number];

/** Paise and invoice counts per bucket. */
export type AgeingAmounts = Record<AgeingBucket, number>;

/** Receivables ageing at an instant. */
export interface ReceivablesAgeing {
  asOf: Date;
  buckets: Array<{ bucket: AgeingBucket; count: number; amount: number }>;
  total: { count: number; amount: number };
  byClient: Array<{ clientName: string; total: number; amounts: AgeingAmounts }>;
}

export interface ReceivablesAgeingOptions {
  now: Date;
  fields?: Partial<InvoiceFields>;
  /** Invoice statuses that still have money to collect. @default ['sent', 'partially_paid'] */
  statuses?: readonly string[];
  match?: Filter;
}

/**
 * The ageing pipeline. An invoice is `current` until its due day ends; after that it is
 * `floor((now − dueDate) / 1 day)` days past due (dueDate being the start of the due day), so
 * `0-30` holds 1–30 days past due, `31-60` 31–60, `61-90` 61–90 and `90+` the rest.
 */
export function receivablesAgeingPipeline(options: ReceivablesAgeingOptions): Record<string, unknown>[] {
  assertInstant(options.now, 'now');
  const f = { ...INVOICE_FIELDS, ...options.fields };
  const now = options.now.getTime();
  const dueAfter = (days: number) => ({ $gt: ['$_id.due', { $literal: new Date(now - days * DAY_MS) }] });
  const sumIf = (bucket: AgeingBucket, field: 'amount' | 'count') => ({ $sum: { $cond: [{ $eq: ['$bucket', bucket] }, `$${field}`, 0] } });
  return [
    ...(options.match ? [{ $match: options.match }] : []),
    { $match: { [f.status]: { $in: [...(options.statuses ?? OPEN_INVOICE_STATUSES)] }, [f.balance]: { $gt: 0 } } },
    // Invoices of one client due on one day age alike: bucket the groups, not each invoice.
    { $group: { _id: { client: ref(f.clientName), due: ref(f.dueDate) }, amount: { $sum: ref(f.balance) }, count: { $sum: 1 } } },
    {
      $addFields: {
        bucket: {
          $switch: {
            branches: [
              { case: { $eq: [{ $ifNull: ['$_id.due', null] }, null] }, then: 'current' },
              { case: dueAfter(1), then: 'current' },
              { case: dueAfter(31), then: '0-30' },
              { case: dueAfter(61), then: '31-60' },
              { case: dueAfter(91), then: '61-90' },
            ],
            default: '90+',
          },
        },
      },
    },
    {
      $facet: {
        buckets: [{ $group: { _id: '$bucket', count: { $sum: '$count' }, amount: { $sum: '$amount' } } }],
        byClient: [
          {
            $group: {
              _id: '$_id.client',
              total: { $sum: '$amount' },
              ...Object.fromEntries(AGEING_BUCKETS.map((b) => [bucketField(b), sumIf(b, 'amount')])),
            },
          },
          { $sort: { total: -1, _id: 1 } },
        ],
      },
    },
  ];
}

// Field names may not contain '-' or '+' comfortably in every tool; name them plainly.
function bucketField(bucket: AgeingBucket): string {
  return { current: 'current', '0-30': 'd0_30', '31-60': 'd31_60', '61-90': 'd61_90', '90+': 'd90_plus' }[bucket];
}

/** Receivables ageing in paise: open balances by days past due, overall and per client. */
export async function receivablesAgeing(source: AnalyticsSource, options: ReceivablesAgeingOptions): Promise<ReceivablesAgeing> {
  const [row] = await runPipeline<{
    buckets: Array<{ _id: AgeingBucket; count: number; amount: number }>;
    byClient: Array<Record<string, number> & { _id: string; total: number }>;
  }>(source, receivablesAgeingPipeline(options));
  const found = new Map((row?.buckets ?? []).map((b) => [b._id, b]));
  const buckets = AGEING_BUCKETS.map((bucket) => ({ bucket, count: found.get(bucket)?.count ?? 0, amount: found.get(bucket)?.amount ?? 0 }));
  return {
    asOf: options.now,
    buckets,
    total: {
      count: buckets.reduce((s, b) => s + b.count, 0),
      amount: buckets.reduce((s, b) => s + b.amount, 0),
    },
    byClient: (row?.byClient ?? []).map((c) => ({
      clientName: c._id,
      total: c.total,
      amounts: Object.fromEntries(AGEING_BUCKETS.map((b) => [b, c[bucketField(b)] ?? 0])) as AgeingAmounts,
    })),
  };
}
