import { DEFAULT_TIME_ZONE } from '../money/index.ts';
import { durationMs, endOfDueDay } from '../notifications/index.ts';
import { isClosedCategory } from '../workflow/index.ts';
import type { StateCategory } from '../workflow/index.ts';
import type { Criticality, ProbeOverride, ProbePolicy, RiskLevel } from './probe-policy.ts';

/** What scheduling needs to know about a milestone. */
export interface ProbeMilestone {
  /** The category of its workflow state. */
  category: StateCategory;
  /** `medium` is read as `normal`. @default 'normal' */
  criticality?: Criticality | 'medium';
  risk?: RiskLevel;
  /** `YYYY-MM-DD` (due at the end of that day in the tenant's zone) or an instant. */
  dueDate?: string | Date;
  probe?: ProbeOverride;
}

/** Why the interval is what it is. */
export type ProbeScheduleBasis = 'criticality' | 'override' | 'near_due' | 'overdue' | 'risk';

/** When to probe next, or why not. */
export type ProbeSchedule =
  | { kind: 'scheduled'; at: Date; intervalMs: number; basis: ProbeScheduleBasis }
  | { kind: 'skip'; reason: 'closed' | 'paused' | 'not_started' };

/**
 * When a milestone's owner should next be asked for status. The interval is the override's or
 * the criticality's, shortened near the due date, once overdue and by risk (the shortest
 * wins). It counts from the later of the last probe and the last reply, since an update
 * unasked is as good as an answer; with no probe yet, or when the time has passed, it is `now`.
 * Closed milestones (done or cancelled categories) and paused ones are skipped. Quiet hours
 * are applied when the message is planned, not here.
 */
export function nextProbeAt(args: {
  milestone: ProbeMilestone;
  policy: ProbePolicy;
  lastProbeAt?: Date;
  lastResponseAt?: Date;
  now: Date;
  timeZone?: string;
}): ProbeSchedule {
  const { milestone, policy, lastProbeAt, lastResponseAt, now } = args;
  if (isClosedCategory(milestone.category)) return { kind: 'skip', reason: 'closed' };
  if (milestone.probe && 'paused' in milestone.probe) return { kind: 'skip', reason: 'paused' };
  if (milestone.category === 'not_started' && !policy.probeNotStarted) return { kind: 'skip', reason: 'not_started' };

  const criticality: Criticality = milestone.criticality === 'medium' || milestone.criticality === undefined ? 'normal' : milestone.criticality;
  let interval = durationMs(policy.every[criticality]);
  let basis: ProbeScheduleBasis = 'criticality';
  if (milestone.probe && 'every' in milestone.probe) {
    interval = durationMs(milestone.probe.every);
    basis = 'override';
  }
  const tighten = (ms: number, why: ProbeScheduleBasis): void => {
    if (ms < interval) {
      interval = ms;
      basis = why;
    }
  };

  const due = milestone.dueDate === undefined ? null : endOfDueDay(milestone.dueDate, args.timeZone ?? DEFAULT_TIME_ZONE);
  if (due) {
    const left = due.getTime() - now.getTime();
    if (left <= 0) tighten(durationMs(policy.overdue), 'overdue');
    else for (const rule of policy.nearDue) if (left <= durationMs(rule.within)) tighten(durationMs(rule.atMost), 'near_due');
  }
  const risky = milestone.risk === 'high' ? policy.risk.high : milestone.risk === 'medium' ? policy.risk.medium : undefined;
  if (risky !== undefined) tighten(durationMs(risky), 'risk');

  const last = Math.max(lastProbeAt?.getTime() ?? -Infinity, lastResponseAt?.getTime() ?? -Infinity);
  const at = lastProbeAt === undefined && lastResponseAt === undefined ? now.getTime() : Math.max(last + interval, now.getTime());
  return { kind: 'scheduled', at: new Date(at), intervalMs: interval, basis };
}
