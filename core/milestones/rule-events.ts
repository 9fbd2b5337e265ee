import { domainEvent, type DomainContext, type DomainEvent } from '../domain/index.ts';
import type { RuleEffects } from '../rules/index.ts';

/**
 * Events for the rule actions the hub acts on later: `notification.requested` for each notify
 * and `escalation.requested` for each escalate, naming the rule and what triggered it.
 */
export function ruleActionEvents(ctx: DomainContext, milestoneId: string, trigger: string, effects: RuleEffects | undefined): DomainEvent[] {
  if (!effects) return [];
  const aggregate = { type: 'milestone' as const, id: milestoneId };
  return [
    ...effects.notifications.map((n) => domainEvent(ctx, 'notification.requested', aggregate, { trigger, ruleId: n.ruleId, to: n.to, ...(n.template ? { template: n.template } : {}) })),
    ...effects.escalations.map((e) => domainEvent(ctx, 'escalation.requested', aggregate, { trigger, ruleId: e.ruleId, level: e.level })),
  ];
}
