import { milestonesCollection } from '../../core/milestones/index.ts';
import type { MilestoneDoc } from '../../core/milestones/index.ts';
import { DEFAULT_MATCH_WINDOW_MS, getProbePolicy, nextProbeAt, OPEN_PROBE_STATUSES, probeSchedulesCollection, probesCollection } from '../../core/probes/index.ts';
import type { ProbePolicy, ProbeScheduleDoc } from '../../core/probes/index.ts';
import { tenantsCollection } from '../../core/tenancy/index.ts';
import type { ProbeDeps } from './probe-deps.ts';
import { sendProbe } from './send-probe.ts';

/** What one sweep did. */
export interface ProbeSweepResult {
  tenants: number;
  milestones: number;
  sent: number;
  /** Due, but nobody to ask (no owner, unknown person). */
  skipped: number;
  expired: number;
}

/**
 * One pass of the probe schedule: for every active tenant, every open milestone (not started or
 * active) gets its next probe time from its criticality, risk, due date and override under the
 * tenant's probe policy (core/probes `nextProbeAt`; `options.policy` overrides it for all), and those due now are sent. The slot key is the milestone and
 * the time of its last probe, so a sweep that runs twice (or on two workers) sends once.
 * Probes unanswered past the match window expire.
 */
export async function sweepProbes(deps: ProbeDeps, options: { policy?: ProbePolicy; tenantIds?: readonly string[]; matchWindowMs?: number } = {}): Promise<ProbeSweepResult> {
  const now = deps.now();
  const tenants = await deps.store.platform(tenantsCollection).find({ status: 'active', ...(options.tenantIds ? { _id: { $in: [...options.tenantIds] } } : {}) }, { projection: { _id: 1, timeZone: 1 } });
  const result: ProbeSweepResult = { tenants: tenants.length, milestones: 0, sent: 0, skipped: 0, expired: 0 };
  for (const tenant of tenants) {
    const db = deps.store.forTenant(tenant._id);
    result.expired += await db
      .collection(probesCollection)
      .updateMany({ status: { $in: [...OPEN_PROBE_STATUSES] }, sentAt: { $lt: new Date(now.getTime() - (options.matchWindowMs ?? DEFAULT_MATCH_WINDOW_MS)) } }, { $set: { status: 'expired', expiredAt: now } });
    const milestones: Array<Pick<MilestoneDoc, '_id' | 'statusCategory' | 'priority' | 'risk' | 'dueDate' | 'owners'>> = await db
      .collection(milestonesCollection)
      .find({ deletedAt: { $exists: false }, statusCategory: { $in: ['not_started', 'active'] } }, { projection: { _id: 1, statusCategory: 1, priority: 1, risk: 1, dueDate: 1, owners: 1 } });
    if (milestones.length === 0) continue;
    const policy = options.policy ?? (await getProbePolicy(db)).policy;
    const schedules = new Map<string, ProbeScheduleDoc>();
    for (const s of await db.collection(probeSchedulesCollection).find({})) schedules.set(s.milestoneId, s);
    for (const m of milestones) {
      if (!(m.owners ?? []).some((o) => o.kind === 'individual')) continue;
      result.milestones += 1;
      const schedule = schedules.get(m._id);
      const next = nextProbeAt({
        milestone: {
          category: m.statusCategory,
          ...(m.priority ? { criticality: m.priority } : {}),
          ...(m.risk ? { risk: m.risk } : {}),
          ...(m.dueDate ? { dueDate: m.dueDate } : {}),
          ...(schedule?.override ? { probe: schedule.override } : {}),
        },
        policy,
        ...(schedule?.lastProbeAt ? { lastProbeAt: schedule.lastProbeAt } : {}),
        ...(schedule?.lastResponseAt ? { lastResponseAt: schedule.lastResponseAt } : {}),
        now,
        timeZone: tenant.timeZone,
      });
      if (next.kind !== 'scheduled' || next.at.getTime() > now.getTime()) continue;
      const sent = await sendProbe(deps, { tenantId: tenant._id, milestoneId: m._id, trigger: 'schedule', slotKey: `schedule:${m._id}:${schedule?.lastProbeAt?.getTime() ?? 0}` });
      if (sent.ok && sent.value.created) result.sent += 1;
      else if (!sent.ok) result.skipped += 1;
    }
  }
  return result;
}
