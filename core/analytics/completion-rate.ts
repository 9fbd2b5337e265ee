import type { Filter } from '../store/index.ts';
import { assertInstant, runPipeline } from './analytics-source.ts';
import type { AnalyticsSource } from './analytics-source.ts';
import { DEFAULT_STATUS_SETS, MILESTONE_FIELDS } from './assumed-shapes.ts';
import type { MilestoneFields, StatusSets } from './assumed-shapes.ts';
import { assertDayOffset, cancelledQuery, doneQuery, dueAtOrBefore, dueInstant, DAY_MS, isCancelledExpr, isDoneExpr, onTimeFlag, ratio, ref } from './pipeline-expressions.ts';

/** Options shared by the milestone metrics. */
export interface MilestoneMetricOptions {
  now: Date;
  fields?: Partial<MilestoneFields>;
  statuses?: Partial<StatusSets>;
  /** An extra `$match` applied first (a project, a date range). */
  match?: Filter;
  /**
   * The due date field holds a calendar day (`YYYY-MM-DD`), read as the start of that day at this
   * UTC offset (`+05:30`). Without it the field holds dates.
   */
  dueDayOffset?: string;
}

/** Counts of one group of milestones; cancelled milestones are outside `total`. */
export interface CompletionCounts {
  total: number;
  completed: number;
  /** Completed no later than the due day. */
  completedOnTime: number;
  open: number;
  /** Open and past the due day. */
  overdueOpen: number;
  cancelled: number;
  /** completed / total, to four places; null without milestones. */
  completionRate: number | null;
  /** completedOnTime / completed, to four places; null when nothing is completed. */
  onTimeRate: number | null;
}

export interface CompletionRate extends CompletionCounts {
  byProject: Array<CompletionCounts & { projectId: string }>;
}

const ZERO: CompletionCounts = {
  total: 0,
  completed: 0,
  completedOnTime: 0,
  open: 0,
  overdueOpen: 0,
  cancelled: 0,
  completionRate: null,
  onTimeRate: null,
};

/** The milestone fields and status sets with defaults filled. */
export function milestoneSettings(options: Pick<MilestoneMetricOptions, 'fields' | 'statuses'>): { f: MilestoneFields; sets: StatusSets } {
  return {
    f: { ...MILESTONE_FIELDS, ...options.fields },
    sets: { ...DEFAULT_STATUS_SETS, ...options.statuses },
  };
}

/**
 * After a `$group` whose `_id` holds `s` (state) and `c` (category): marks each group done or
 * cancelled. Classifying groups rather than documents keeps the per-document work to field reads
 * and a few date comparisons, which is what makes 100,000 milestones cheap on mingo.
 */
export function classifyGroupsStage(sets: StatusSets): Record<string, unknown> {
  return { $addFields: { done: isDoneExpr('_id.c', '_id.s', sets), cancelled: isCancelledExpr('_id.c', '_id.s', sets) } };
}

const SUMS = {
  total: { $sum: '$total' },
  completed: { $sum: '$completed' },
  completedOnTime: { $sum: '$completedOnTime' },
  overdueOpen: { $sum: '$overdueOpen' },
  cancelled: { $sum: '$cancelled' },
};
const RATES = {
  total: 1,
  completed: 1,
  completedOnTime: 1,
  overdueOpen: 1,
  cancelled: 1,
  open: { $subtract: ['$total', '$completed'] },
  completionRate: ratio('$completed', '$total', 4),
  onTimeRate: ratio('$completedOnTime', '$completed', 4),
};

/**
 * The completion-rate pipeline: overall and per project. Queries (cheap on mingo) split the
 * milestones into all, cancelled, done and overdue-open, each counted per project; only done
 * milestones evaluate an expression (on time or not).
 */
export function completionRatePipeline(options: MilestoneMetricOptions): Record<string, unknown>[] {
  assertInstant(options.now, 'now');
  assertDayOffset(options.dueDayOffset);
  const { f, sets } = milestoneSettings(options);
  const done = doneQuery(f.statusCategory, f.status, sets);
  const cancelled = cancelledQuery(f.statusCategory, f.status, sets);
  const perProject = (counts: Record<string, unknown>) => ({ $group: { _id: ref(f.projectId), ...counts } });
  const pastDue = dueAtOrBefore(new Date(options.now.getTime() - DAY_MS), options.dueDayOffset);
  return [
    ...(options.match ? [{ $match: options.match }] : []),
    {
      $facet: {
        all: [perProject({ n: { $sum: 1 } })],
        cancelled: [{ $match: cancelled }, perProject({ cancelled: { $sum: 1 } })],
        done: [{ $match: done }, perProject({ completed: { $sum: 1 }, completedOnTime: { $sum: onTimeFlag(f.completedAt, dueInstant(f.dueDate, options.dueDayOffset)) } })],
        overdueOpen: [{ $match: { $nor: [done, cancelled], [f.dueDate]: pastDue } }, perProject({ overdueOpen: { $sum: 1 } })],
      },
    },
    // One row per project and branch; a branch's missing counts add up as 0.
    { $project: { rows: { $concatArrays: ['$all', '$cancelled', '$done', '$overdueOpen'] } } },
    { $unwind: '$rows' },
    {
      $group: {
        _id: '$rows._id',
        n: { $sum: '$rows.n' },
        completed: { $sum: '$rows.completed' },
        completedOnTime: { $sum: '$rows.completedOnTime' },
        overdueOpen: { $sum: '$rows.overdueOpen' },
        cancelled: { $sum: '$rows.cancelled' },
      },
    },
    { $project: { _id: 0, projectId: '$_id', total: { $subtract: ['$n', '$cancelled'] }, completed: 1, completedOnTime: 1, overdueOpen: 1, cancelled: 1 } },
    {
      $facet: {
        overall: [{ $group: { _id: null, ...SUMS } }, { $project: { _id: 0, ...RATES } }],
        byProject: [{ $group: { _id: '$projectId', ...SUMS } }, { $project: { _id: 0, projectId: '$_id', ...RATES } }, { $sort: { projectId: 1 } }],
      },
    },
  ];
}

/**
 * Completion rate: completed milestones over all that are not cancelled, with on-time
 * completion and overdue open milestones, overall and per project.
 */
export async function completionRate(source: AnalyticsSource, options: MilestoneMetricOptions): Promise<CompletionRate> {
  const [row] = await runPipeline<{ overall: CompletionCounts[]; byProject: Array<CompletionCounts & { projectId: string }> }>(
    source,
    completionRatePipeline(options),
  );
  return { ...ZERO, ...(row?.overall[0] ?? {}), byProject: row?.byProject ?? [] };
}
