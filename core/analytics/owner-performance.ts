import { assertInstant, runPipeline } from './analytics-source.ts';
import type { AnalyticsSource } from './analytics-source.ts';
import { classifyGroupsStage, milestoneSettings } from './completion-rate.ts';
import type { MilestoneMetricOptions } from './completion-rate.ts';
import { completionDays, lateFromDays, onTimeFromDays, pastDueFlag, ratio, ref } from './pipeline-expressions.ts';

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

/** The owner-performance pipeline; `roles` limits which ownership roles count. */
export function ownerPerformancePipeline(options: MilestoneMetricOptions & { roles?: string[] }): Record<string, unknown>[] {
  assertInstant(options.now, 'now');
  const { f, sets } = milestoneSettings(options);
  // One row per distinct owner of a milestone, however many roles they hold on it.
  const refs = options.roles
    ? {
        $setUnion: [
          {
            $map: {
              input: { $filter: { input: { $ifNull: [ref(f.owners), []] }, as: 'o', cond: { $in: [`$$o.${f.ownerRole}`, { $literal: options.roles }] } } },
              as: 'o',
              in: `$$o.${f.ownerRef}`,
            },
          },
        ],
      }
    : { $setUnion: [{ $ifNull: [ref(`${f.owners}.${f.ownerRef}`), []] }] };
  return [
    ...(options.match ? [{ $match: options.match }] : []),
    { $project: { _id: 0, refs, s: ref(f.status), c: ref(f.statusCategory), days: completionDays(f.completedAt, f.dueDate), pastDue: pastDueFlag(f.dueDate, options.now) } },
    // Milestones with the same owners and state add up before the owners are split apart, so the
    // per-owner rows come from a few groups rather than from every milestone.
    {
      $group: {
        _id: { refs: '$refs', s: '$s', c: '$c' },
        n: { $sum: 1 },
        onTime: { $sum: onTimeFromDays('$days') },
        pastDue: { $sum: '$pastDue' },
        late: { $sum: lateFromDays('$days') },
      },
    },
    { $unwind: '$_id.refs' },
    { $group: { _id: { r: '$_id.refs', s: '$_id.s', c: '$_id.c' }, n: { $sum: '$n' }, onTime: { $sum: '$onTime' }, pastDue: { $sum: '$pastDue' }, late: { $sum: '$late' } } },
    classifyGroupsStage(sets),
    { $match: { cancelled: false, '_id.r': { $nin: [null, ''] } } },
    {
      $group: {
        _id: '$_id.r',
        assigned: { $sum: '$n' },
        completed: { $sum: { $cond: ['$done', '$n', 0] } },
        completedOnTime: { $sum: { $cond: ['$done', '$onTime', 0] } },
        overdueOpen: { $sum: { $cond: ['$done', 0, '$pastDue'] } },
        delaySum: { $sum: { $cond: ['$done', '$late', 0] } },
      },
    },
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
