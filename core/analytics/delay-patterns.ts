import { assertInstant, runPipeline } from './analytics-source.ts';
import type { AnalyticsSource } from './analytics-source.ts';
import { classifyGroupsStage, milestoneSettings } from './completion-rate.ts';
import type { MilestoneMetricOptions } from './completion-rate.ts';
import { assertDayOffset, countIf, daysPastDue, dueInstant, ratio, ref } from './pipeline-expressions.ts';

/** One delay category with its most frequent reasons. */
export interface DelayCategory {
  category: string;
  count: number;
  /** Milestones of this category that are (or finished) past their due day. */
  late: number;
  /** Average whole days past the due day (at completion, or now while open), to one place. */
  averageDelayDays: number | null;
  reasons: Array<{ reason: string; count: number; averageDelayDays: number | null }>;
}

/** The delay-patterns pipeline: milestones with a delay category, by category and reason. */
export function delayPatternsPipeline(options: MilestoneMetricOptions): Record<string, unknown>[] {
  assertInstant(options.now, 'now');
  assertDayOffset(options.dueDayOffset);
  const { f, sets } = milestoneSettings(options);
  const end = { $ifNull: [ref(f.completedAt), options.now] };
  return [
    ...(options.match ? [{ $match: options.match }] : []),
    { $match: { [f.delayCategory]: { $exists: true, $nin: [null, ''] } } },
    { $project: { _id: 0, k: ref(f.delayCategory), t: ref(f.delayText), s: ref(f.status), c: ref(f.statusCategory), d: daysPastDue(end, dueInstant(f.dueDate, options.dueDayOffset)) } },
    { $group: { _id: { k: '$k', t: '$t', s: '$s', c: '$c' }, n: { $sum: 1 }, late: { $sum: countIf({ $gt: ['$d', 0] }) }, delay: { $sum: '$d' } } },
    classifyGroupsStage(sets),
    { $match: { cancelled: false } },
    // Free-text reasons group case- and space-insensitively.
    { $project: { k: '$_id.k', reason: { $toLower: { $trim: { input: { $ifNull: ['$_id.t', ''] } } } }, n: 1, late: 1, delay: 1 } },
    { $group: { _id: { k: '$k', reason: '$reason' }, count: { $sum: '$n' }, late: { $sum: '$late' }, delaySum: { $sum: '$delay' } } },
    {
      $group: {
        _id: '$_id.k',
        count: { $sum: '$count' },
        late: { $sum: '$late' },
        delaySum: { $sum: '$delaySum' },
        reasons: { $push: { reason: '$_id.reason', count: '$count', averageDelayDays: ratio('$delaySum', '$count', 1) } },
      },
    },
    { $project: { _id: 0, category: '$_id', count: 1, late: 1, averageDelayDays: ratio('$delaySum', '$count', 1), reasons: 1 } },
    { $sort: { count: -1, category: 1 } },
  ];
}

/**
 * Delay patterns: milestones that carry a delay category, grouped by category, each with its
 * reasons (normalised free text) by frequency. Cancelled milestones are left out.
 */
export async function delayPatterns(
  source: AnalyticsSource,
  options: MilestoneMetricOptions & { topReasons?: number },
): Promise<DelayCategory[]> {
  const rows = await runPipeline<DelayCategory>(source, delayPatternsPipeline(options));
  const top = options.topReasons ?? 10;
  // $push order after $group is not guaranteed on MongoDB; order reasons here.
  return rows.map((row) => ({
    ...row,
    reasons: [...row.reasons].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)).slice(0, top),
  }));
}
