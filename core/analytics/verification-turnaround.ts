import type { Filter } from '../store/index.ts';
import { runPipeline } from './analytics-source.ts';
import type { AnalyticsSource } from './analytics-source.ts';
import { VERIFICATION_FIELDS } from './assumed-shapes.ts';
import type { VerificationFields } from './assumed-shapes.ts';
import { countIf, present, rangeIndex, ratio, ref } from './pipeline-expressions.ts';

const HOUR_MS = 3_600_000;
import { windowMatch } from './time-window.ts';
import type { TimeWindow } from './time-window.ts';

/** How long verifications took, submitted → verified. */
export interface VerificationTurnaround {
  verified: number;
  /** Submitted and not verified yet. */
  pending: number;
  averageHours: number | null;
  averageDays: number | null;
  minHours: number | null;
  maxHours: number | null;
  /** Verified rounds by turnaround: within a day, 1–3 days, 3–7 days, longer. */
  distribution: Array<{ bucket: 'under_1d' | '1d_3d' | '3d_7d' | 'over_7d'; count: number }>;
}

// Hours: under a day, 1–3 days, 3–7 days; 7 days and more are `over_7d` (a negative span is bad data).
const BOUNDS = [0, 24, 72, 168];
const BUCKETS = ['under_1d', '1d_3d', '3d_7d'] as const;

/** The verification-turnaround pipeline over verification rounds submitted in the window. */
export function verificationTurnaroundPipeline(
  options: TimeWindow & { fields?: Partial<VerificationFields>; match?: Filter } = {},
): Record<string, unknown>[] {
  const f = { ...VERIFICATION_FIELDS, ...options.fields };
  return [
    ...(options.match ? [{ $match: options.match }] : []),
    ...windowMatch(f.submittedAt, options),
    {
      $project: {
        _id: 0,
        hours: {
          $cond: [
            present(ref(f.verifiedAt)),
            { $divide: [{ $subtract: [ref(f.verifiedAt), { $ifNull: [ref(f.submittedAt), ref(f.verifiedAt)] }] }, HOUR_MS] },
            null,
          ],
        },
      },
    },
    {
      $facet: {
        counts: [{ $group: { _id: null, verified: { $sum: countIf(present('$hours')) }, all: { $sum: 1 } } }],
        // Only verified rounds: mingo's $min would take a leading null as the minimum.
        stats: [
          { $match: { hours: { $ne: null } } },
          { $group: { _id: null, n: { $sum: 1 }, sumHours: { $sum: '$hours' }, minHours: { $min: '$hours' }, maxHours: { $max: '$hours' } } },
          {
            $project: {
              _id: 0,
              averageHours: ratio('$sumHours', '$n', 1),
              averageDays: ratio('$sumHours', { $multiply: ['$n', 24] }, 2),
              minHours: { $round: ['$minHours', 1] },
              maxHours: { $round: ['$maxHours', 1] },
            },
          },
        ],
        distribution: [
          { $match: { hours: { $ne: null } } },
          { $group: { _id: rangeIndex('$hours', BOUNDS, { below: 'negative', above: 'over_7d' }), count: { $sum: 1 } } },
        ],
      },
    },
  ];
}

/** Verification turnaround: submitted → verified durations, with pending rounds counted. */
export async function verificationTurnaround(
  source: AnalyticsSource,
  options: TimeWindow & { fields?: Partial<VerificationFields>; match?: Filter } = {},
): Promise<VerificationTurnaround> {
  const [row] = await runPipeline<{
    counts: Array<{ verified: number; all: number }>;
    stats: Array<Pick<VerificationTurnaround, 'averageHours' | 'averageDays' | 'minHours' | 'maxHours'>>;
    distribution: Array<{ _id: number | string; count: number }>;
  }>(source, verificationTurnaroundPipeline(options));
  const counts = row?.counts[0];
  const stats = row?.stats[0];
  const perBucket = new Map((row?.distribution ?? []).map((b) => [b._id, b.count]));
  return {
    verified: counts?.verified ?? 0,
    pending: counts ? counts.all - counts.verified : 0,
    averageHours: stats?.averageHours ?? null,
    averageDays: stats?.averageDays ?? null,
    minHours: stats?.minHours ?? null,
    maxHours: stats?.maxHours ?? null,
    distribution: [
      ...BUCKETS.map((bucket, i) => ({ bucket, count: perBucket.get(i) ?? 0 })),
      { bucket: 'over_7d' as const, count: perBucket.get('over_7d') ?? 0 },
    ],
  };
}
