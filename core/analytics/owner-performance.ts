import { assertInstant, runPipeline } from './analytics-source.ts';
import type { AnalyticsSource } from './analytics-source.ts';
import { milestoneSettings } from './completion-rate.ts';
import type { MilestoneMetricOptions } from './completion-rate.ts';
import { assertDayOffset, cancelledQuery, completionDays, DAY_MS, doneQuery, dueAtOrBefore, dueInstant, lateFromDays, onTimeFromDays, ratio, ref } from './pipeline-expressions.ts';

/** One owner's record over the milestones they own. */
export interface OwnerPerformance {
  ref: string;
  /** Milestones owned, cancelled ones left out. */
  assigned: number;
  completed: number;
  completedOnTime: number;
  open: number;
  overdueOpen: number;
  /** completedOnTime / completed, to four places. */
  onTimeRate: number | null;
  /** Average whole days late over completed milestones (0 for on time), to one place. */
  averageDelayDays: number | null;
}

/**
 * The owner-performance pipeline; `roles` limits which ownership roles count. Queries split the
 * live milestones into open, open and past due, and done, each counted per owner list; the owner
 * lists are then split into owners, so per-owner rows come from a few groups rather than from
 * every milestone. Only done milestones evaluate an expression (days late).
 */
export function ownerPerformancePipeline(options: MilestoneMetricOptions & { roles?: string[] }): Record<string, unknown>[] {
  assertInstant(options.now, 'now');
  assertDayOffset(options.dueDayOffset);
  const { f, sets } = milestoneSettings(options);
  const done = doneQuery(f.statusCategory, f.status, sets);
  const cancelled = cancelledQuery(f.statusCategory, f.status, sets);
  // Grouped by the owner list as stored (its refs alone when roles do not matter).
  const list = options.roles ? ref(f.owners) : ref(`${f.owners}.${f.ownerRef}`);
  // One row per distinct owner of a milestone, however many roles they hold on it.
  const refs = options.roles
    ? {
        $setUnion: [
          {
            $map: {
              input: { $filter: { input: { $ifNull: ['$rows._id', []] }, as: 'o', cond: { $in: [`$$o.${f.ownerRole}`, { $literal: options.roles }] } } },
              as: 'o',
              in: `$$o.${f.ownerRef}`,
            },
          },
        ],
      }
    : { $setUnion: [{ $ifNull: ['$rows._id', []] }] };
  const days = completionDays(f.completedAt, dueInstant(f.dueDate, options.dueDayOffset));
  return [
    ...(options.match ? [{ $match: options.match }] : []),
    { $match: { $nor: [cancelled] } },
    {
      $facet: {
        open: [{ $match: { $nor: [done] } }, { $group: { _id: list, n: { $sum: 1 } } }],
        pastDue: [
          { $match: { $nor: [done], [f.dueDate]: dueAtOrBefore(new Date(options.now.getTime() - DAY_MS), options.dueDayOffset) } },
          { $group: { _id: list, pastDue: { $sum: 1 } } },
        ],
        done: [
          { $match: done },
          { $project: { _id: 0, list, days } },
          { $group: { _id: '$list', n: { $sum: 1 }, completed: { $sum: 1 }, onTime: { $sum: onTimeFromDays('$days') }, late: { $sum: lateFromDays('$days') } } },
        ],
      },
    },
    { $project: { rows: { $concatArrays: ['$open', '$pastDue', '$done'] } } },
    { $unwind: '$rows' },
    { $project: { refs, n: '$rows.n', pastDue: '$rows.pastDue', completed: '$rows.completed', onTime: '$rows.onTime', late: '$rows.late' } },
    { $unwind: '$refs' },
    {
      $group: {
        _id: '$refs',
        assigned: { $sum: '$n' },
        completed: { $sum: '$completed' },
        completedOnTime: { $sum: '$onTime' },
        overdueOpen: { $sum: '$pastDue' },
        delaySum: { $sum: '$late' },
      },
    },
    { $match: { _id: { $nin: [null, ''] } } },
    {
      $project: {
        _id: 0,
        ref: '$_id',
        assigned: 1,
        completed: 1,
        completedOnTime: 1,
        open: { $subtract: ['$assigned', '$completed'] },
        overdueOpen: 1,
        onTimeRate: ratio('$completedOnTime', '$completed', 4),
        averageDelayDays: ratio('$delaySum', '$completed', 1),
      },
    },
    { $sort: { ref: 1 } },
  ];
}

/** Owner performance: on-time rate, average delay and open work per owner. */
export function ownerPerformance(
  source: AnalyticsSource,
  options: MilestoneMetricOptions & { roles?: string[] },
): Promise<OwnerPerformance[]> {
  return runPipeline<OwnerPerformance>(source, ownerPerformancePipeline(options));
}
