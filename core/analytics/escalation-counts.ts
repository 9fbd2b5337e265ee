import type { Filter } from '../store/index.ts';
import { runPipeline } from './analytics-source.ts';
import type { AnalyticsSource } from './analytics-source.ts';
import { ESCALATION_FIELDS } from './assumed-shapes.ts';
import type { EscalationFields } from './assumed-shapes.ts';
import { countIf, present, ref } from './pipeline-expressions.ts';
import { windowMatch } from './time-window.ts';
import type { TimeWindow } from './time-window.ts';

/** Escalations opened in a window, by level and by trigger. */
export interface EscalationCounts {
  total: number;
  /** Not resolved yet. */
  open: number;
  byLevel: Array<{ level: number | string; count: number; open: number }>;
  byTrigger: Array<{ trigger: string; count: number; open: number }>;
}

/** The escalation-counts pipeline over escalations opened in the window. */
export function escalationCountsPipeline(
  options: TimeWindow & { fields?: Partial<EscalationFields>; match?: Filter } = {},
): Record<string, unknown>[] {
  const f = { ...ESCALATION_FIELDS, ...options.fields };
  const counts = { count: { $sum: 1 }, open: { $sum: countIf('$open') } };
  return [
    ...(options.match ? [{ $match: options.match }] : []),
    ...windowMatch(f.openedAt, options),
    { $project: { _id: 0, level: ref(f.level), trigger: ref(f.trigger), open: { $not: [present(ref(f.resolvedAt))] } } },
    {
      $facet: {
        total: [{ $group: { _id: null, ...counts } }],
        byLevel: [{ $group: { _id: '$level', ...counts } }, { $project: { _id: 0, level: '$_id', count: 1, open: 1 } }, { $sort: { level: 1 } }],
        byTrigger: [
          { $group: { _id: '$trigger', ...counts } },
          { $project: { _id: 0, trigger: '$_id', count: 1, open: 1 } },
          { $sort: { count: -1, trigger: 1 } },
        ],
      },
    },
  ];
}

/** Escalation counts: how many were opened, by level and trigger, and how many are still open. */
export async function escalationCounts(
  source: AnalyticsSource,
  options: TimeWindow & { fields?: Partial<EscalationFields>; match?: Filter } = {},
): Promise<EscalationCounts> {
  const [row] = await runPipeline<{
    total: Array<{ count: number; open: number }>;
    byLevel: EscalationCounts['byLevel'];
    byTrigger: EscalationCounts['byTrigger'];
  }>(source, escalationCountsPipeline(options));
  return {
    total: row?.total[0]?.count ?? 0,
    open: row?.total[0]?.open ?? 0,
    byLevel: row?.byLevel ?? [],
    byTrigger: row?.byTrigger ?? [],
  };
}
