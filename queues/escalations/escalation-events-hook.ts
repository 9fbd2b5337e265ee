import type { DomainEvent } from '../../core/domain/index.ts';
import { clearEscalationSignal, raiseEscalationSignal, refreshMilestoneWatch, requestRuleEscalation } from '../../core/escalations/index.ts';
import type { EscalationSignal } from '../../core/escalations/index.ts';
import type { DomainEventHook } from '../domain-event-hook.ts';
import type { EscalationDeps } from './escalation-deps.ts';
import { ESCALATION_MILESTONES_JOB } from './escalation-jobs.ts';
import type { SweepMilestonesJobData } from './escalation-jobs.ts';

/** What each followed event does to a milestone's signals. */
const EFFECTS: Readonly<Record<string, { raise?: EscalationSignal; clear?: EscalationSignal }>> = {
  'dispute.raised': { raise: 'disputedAt' },
  'dispute.resolved': { clear: 'disputedAt' },
  'verification.rejected': { raise: 'verificationRejectedAt' },
  // Resubmitted or accepted work ends a rejection.
  'verification.requested': { clear: 'verificationRejectedAt' },
  'verification.approved': { clear: 'verificationRejectedAt' },
};

/** The level a rule's `escalation.requested` event asks for (1 when it names none). */
function requestedLevel(data: Readonly<Record<string, unknown>>): number {
  const level = data['level'];
  return typeof level === 'number' && Number.isInteger(level) && level >= 1 ? level : 1;
}

/**
 * Follows domain events for escalations. Every milestone event refreshes the milestone's lean
 * watch (what the sweep reads). The event triggers, a dispute or a rejected verification (and
 * what ends them), and a business rule's `escalation.requested`, set the milestone's signals, then a sweep of that milestone runs at once (job
 * id from the event id, so a redelivered event adds nothing), so the escalation opens without
 * waiting for the scheduled sweep. Register it in WorkerContext.domainEvents.
 */
export function escalationEventsHook(deps: Omit<EscalationDeps, 'publicUrl'>): DomainEventHook {
  return async (event: DomainEvent) => {
    if (event.aggregate.type === 'milestone') await refreshMilestoneWatch(deps.store.forTenant(event.tenantId), event.aggregate.id);
    const effect = EFFECTS[event.type];
    const byRule = event.type === 'escalation.requested';
    if (!effect && !byRule) return;
    const milestoneId = event.aggregate.type === 'milestone' ? event.aggregate.id : typeof event.data.milestoneId === 'string' ? event.data.milestoneId : undefined;
    if (milestoneId === undefined) return;
    const db = deps.store.forTenant(event.tenantId);
    if (byRule) await requestRuleEscalation(db, milestoneId, new Date(event.at), requestedLevel(event.data));
    if (effect?.raise) await raiseEscalationSignal(db, milestoneId, effect.raise, new Date(event.at));
    if (effect?.clear) await clearEscalationSignal(db, milestoneId, effect.clear);
    if (deps.queues) {
      const data: SweepMilestonesJobData = { tenantId: event.tenantId, milestoneIds: [milestoneId] };
      await deps.queues.get('escalations').add(ESCALATION_MILESTONES_JOB, data, { jobId: `event-${event.id}`, attempts: 5, backoff: { type: 'exponential', delay: 1000 } });
    }
  };
}
