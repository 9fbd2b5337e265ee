import { DEFAULT_TIME_ZONE } from '../money/index.ts';
import { dateInZone, endOfDueDay, escalationTemplateKey, startOfDay } from '../notifications/index.ts';
import type { Channel, TemplateKey } from '../notifications/index.ts';
import type { Criticality } from '../probes/index.ts';
import type { StateCategory } from '../workflow/index.ts';
import type { Escalation } from './escalation.ts';
import { compileEscalationPolicy } from './escalation-policy.ts';
import type { CompiledEscalationPolicy, EscalationPolicy, EscalationTriggerType, RecipientRef } from './escalation-policy.ts';

/** What the sweep needs to know about a milestone; all of it is plain data, read once. */
export interface EscalationMilestone {
  id: string;
  category: StateCategory;
  criticality?: Criticality | 'medium';
  /** `YYYY-MM-DD` (due at the end of that day in the tenant's zone) or an instant. */
  dueDate?: string | Date;
  /** Planned start, for early warnings. */
  startDate?: string | Date;
  percentComplete?: number;
  /** When the oldest probe still unanswered was sent; unset once the owner replies. */
  awaitingResponseSince?: Date;
  /** Set while the milestone is disputed. */
  disputedAt?: Date;
  /** Set when verification was rejected, until the work is resubmitted. */
  verificationRejectedAt?: Date;
  /** Set when an invoice for it failed on every channel, until one is delivered. */
  invoiceUndeliveredAt?: Date;
  /** The latest business rule request to escalate it, and the level asked for. */
  ruleEscalation?: { at: Date; level: number };
  /** The milestone's payment, while one is expected. */
  payment?: { dueDate: string | Date; outstanding: boolean };
  lastEarlyWarningAt?: Date;
  /** Nothing is opened or raised for this milestone while set. */
  escalationsPaused?: boolean;
}

/** Who to notify and on which channels, for an action that sends a message. */
interface Notification {
  notify: RecipientRef[];
  channels?: Channel[];
  templateKey: TemplateKey;
}

/**
 * What the sweep decided. Each carries a `key` that is stable for the same decision, for use
 * as a job id, so a sweep that runs twice enqueues once.
 */
export type EscalationAction =
  | ({ type: 'open'; key: string; milestoneId: string; trigger: EscalationTriggerType; causeKey: string; level: number; at: Date } & Notification)
  | ({
      type: 'raise';
      key: string;
      escalationId: string;
      milestoneId: string;
      trigger: EscalationTriggerType;
      fromLevel: number;
      toLevel: number;
      /** The level's SLA passed (`not_acknowledged`, `not_resolved`), or a business rule asked for a higher level. */
      reason: 'not_acknowledged' | 'not_resolved' | 'rule_requested';
      at: Date;
    } & Notification)
  | { type: 'breach'; key: string; escalationId: string; milestoneId: string; trigger: EscalationTriggerType; level: number; reason: 'not_acknowledged' | 'not_resolved'; at: Date }
  | { type: 'close'; key: string; escalationId: string; milestoneId: string; trigger: EscalationTriggerType; reason: 'cause_cleared' | 'milestone_closed'; at: Date }
  | {
      type: 'early_warning';
      key: string;
      milestoneId: string;
      at: Date;
      percentComplete: number;
      /** Percent of the planned time that has passed, rounded. */
      expectedPercent: number;
      rule: { elapsedAtLeast: number; completeBelow: number };
      notify: RecipientRef[];
      templateKey: TemplateKey;
    };

/** What a sweep found. */
export interface SweepResult {
  actions: EscalationAction[];
  /** Milestones looked at. */
  scanned: number;
}

const OPEN_CATEGORIES: ReadonlySet<StateCategory> = new Set(['not_started', 'active']);

/**
 * Looks at every milestone once and says what to do about escalations: open one at level 1
 * when a trigger has held for its time; raise an escalation to the next level when the current
 * level's SLA passed without acknowledgement (or without resolution, when a resolve SLA is set),
 * or straight to the level a business rule asked for when that is higher than the open one's;
 * record an SLA breach once at the last level; close escalations whose cause is gone; and warn
 * early when percent complete lags the time elapsed. Pure and linear; writes nothing.
 *
 * Pass the open escalations, and the ones resolved while their cause still held, with when
 * (so a cause a person resolved is not reopened, nor a business rule's request made before
 * that resolution taken for a new cause); escalations of milestones not in `milestones` are
 * left alone, so milestones may be swept in batches.
 */
export function sweepEscalations(args: {
  milestones: readonly EscalationMilestone[];
  escalations: readonly Escalation[];
  policy: EscalationPolicy | CompiledEscalationPolicy;
  now: Date;
  timeZone?: string;
}): SweepResult {
  const { milestones, escalations, now } = args;
  const compiled = 'earlyWarningRepeatMs' in args.policy ? args.policy : compileEscalationPolicy(args.policy);
  const timeZone = args.timeZone ?? DEFAULT_TIME_ZONE;
  const nowMs = now.getTime();
  const byMilestone = new Map<string, Escalation[]>();
  for (const escalation of escalations) {
    const list = byMilestone.get(escalation.milestoneId);
    if (list) list.push(escalation);
    else byMilestone.set(escalation.milestoneId, [escalation]);
  }
  const dayEnds = new Map<string, number>();
  const dayStarts = new Map<string, number>();
  const instant = (value: string | Date | undefined, end: boolean): number | null => {
    if (value === undefined) return null;
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
    const cache = end ? dayEnds : dayStarts;
    let ms = cache.get(value);
    if (ms === undefined) {
      const date = end ? endOfDueDay(value, timeZone) : startOfDay(value, timeZone);
      ms = date ? date.getTime() : NaN;
      cache.set(value, ms);
    }
    return Number.isNaN(ms) ? null : ms;
  };
  const levelCount = compiled.levels.length;
  const today = dateInZone(now, timeZone);
  const actions: EscalationAction[] = [];

  for (const milestone of milestones) {
    const existing = byMilestone.get(milestone.id);
    const open = OPEN_CATEGORIES.has(milestone.category);

    for (const { trigger, afterMs, criticality } of compiled.triggers) {
      const current = existing?.find((e) => e.trigger === trigger.type && e.state !== 'resolved');
      const since = causeSince(trigger.type, milestone, open, nowMs, instant);
      if (since === null) {
        if (current) {
          const reason = milestone.category === 'done' || milestone.category === 'cancelled' ? 'milestone_closed' : 'cause_cleared';
          actions.push({ type: 'close', key: `${current.id}:close`, escalationId: current.id, milestoneId: milestone.id, trigger: trigger.type, reason, at: now });
        }
        continue;
      }
      if (milestone.escalationsPaused) continue;
      if (!current) {
        if (criticality && !criticality.has(criticalityOf(milestone))) continue;
        // A rule's request made before a person resolved its escalation was that escalation's to handle.
        if (trigger.type === 'rule' && handledByResolution(existing, since)) continue;
        // A rule may open at a later level (capped at the last); that level's wait does not apply.
        const startLevel = trigger.type === 'rule' && milestone.ruleEscalation ? Math.min(Math.max(milestone.ruleEscalation.level, 1), levelCount) : 1;
        const first = compiled.levels[startLevel - 1];
        if (!first || nowMs < since + afterMs + (startLevel === 1 ? first.startDelayMs : 0)) continue;
        const causeKey = `${trigger.type}:${new Date(since).toISOString()}`;
        if (existing?.some((e) => e.trigger === trigger.type && e.causeKey === causeKey)) continue;
        actions.push({
          type: 'open',
          key: `${milestone.id}:${causeKey}`,
          milestoneId: milestone.id,
          trigger: trigger.type,
          causeKey,
          level: startLevel,
          at: now,
          ...notification(first.level, startLevel),
        });
        continue;
      }
      const requested = trigger.type === 'rule' ? ruleRaise(current, milestone, compiled, since + afterMs, nowMs) : null;
      if (requested) {
        actions.push({ ...requested, milestoneId: milestone.id, trigger: trigger.type, at: now });
        continue;
      }
      const level = compiled.levels[Math.min(current.level, levelCount) - 1];
      if (!level) continue;
      const reached = current.levelSince.getTime();
      let reason: 'not_acknowledged' | 'not_resolved' | null = null;
      if (current.state === 'open' && nowMs >= reached + level.ackWithinMs) reason = 'not_acknowledged';
      else if (level.resolveWithinMs !== null && nowMs >= reached + level.resolveWithinMs) reason = 'not_resolved';
      if (reason === null) continue;
      const next = compiled.levels[current.level];
      if (next) {
        actions.push({
          type: 'raise',
          key: `${current.id}:level-${current.level + 1}`,
          escalationId: current.id,
          milestoneId: milestone.id,
          trigger: trigger.type,
          fromLevel: current.level,
          toLevel: current.level + 1,
          reason,
          at: now,
          ...notification(next.level, current.level + 1),
        });
      } else if (!current.breachedAt) {
        actions.push({ type: 'breach', key: `${current.id}:breach`, escalationId: current.id, milestoneId: milestone.id, trigger: trigger.type, level: current.level, reason, at: now });
      }
    }

    if (open && compiled.policy.earlyWarning.enabled && !milestone.escalationsPaused) {
      const warning = earlyWarning(milestone, compiled, nowMs, today, instant);
      if (warning) actions.push({ ...warning, at: now });
    }
  }
  return { actions, scanned: milestones.length };
}

/**
 * The raise a business rule asks for while its escalation is open: straight to the level the
 * latest request names, or the higher one recorded on the escalation while it was open (capped at
 * the policy's last), once the trigger's wait has passed since the latest request, and only when
 * that is above the current level. A request for the same or a lower level leaves the escalation
 * as it is; so does a second look once it is raised (same key).
 */
function ruleRaise(
  current: Escalation,
  milestone: EscalationMilestone,
  compiled: CompiledEscalationPolicy,
  dueMs: number,
  nowMs: number,
): Omit<Extract<EscalationAction, { type: 'raise' }>, 'milestoneId' | 'trigger' | 'at'> | null {
  if (!milestone.ruleEscalation || nowMs < dueMs) return null;
  const toLevel = Math.min(Math.max(milestone.ruleEscalation.level, current.requestedLevel ?? 0), compiled.levels.length);
  const target = compiled.levels[toLevel - 1];
  if (!target || toLevel <= current.level) return null;
  return {
    type: 'raise',
    key: `${current.id}:level-${toLevel}`,
    escalationId: current.id,
    fromLevel: current.level,
    toLevel,
    reason: 'rule_requested',
    ...notification(target.level, toLevel),
  };
}

/**
 * Whether a person resolved a rule escalation of the milestone at or after the latest rule
 * request (`requestedMs`): requests made while it was open (which only raise it) are not a new
 * cause once it is resolved, even when they were recorded after the resolution.
 */
function handledByResolution(existing: readonly Escalation[] | undefined, requestedMs: number): boolean {
  return existing?.some((e) => e.trigger === 'rule' && e.state === 'resolved' && e.resolvedAt !== undefined && e.resolvedAt.getTime() >= requestedMs) ?? false;
}

function notification(level: { notify: RecipientRef[]; channels?: Channel[] | undefined }, number: number): Notification {
  return { notify: level.notify, ...(level.channels ? { channels: level.channels } : {}), templateKey: escalationTemplateKey(number) };
}

function criticalityOf(milestone: EscalationMilestone): Criticality {
  return milestone.criticality === undefined || milestone.criticality === 'medium' ? 'normal' : milestone.criticality;
}

/**
 * Since when a trigger's cause has held, or null when it does not hold now. The cause key of an
 * escalation is the trigger and this instant (`overdue:2026-12-10T18:30:00.000Z`).
 */
function causeSince(
  type: EscalationTriggerType,
  m: EscalationMilestone,
  open: boolean,
  nowMs: number,
  instant: (value: string | Date | undefined, end: boolean) => number | null,
): number | null {
  switch (type) {
    case 'overdue': {
      if (!open) return null;
      const due = instant(m.dueDate, true);
      return due === null || due > nowMs ? null : due;
    }
    case 'no_probe_response': {
      return open && m.awaitingResponseSince ? m.awaitingResponseSince.getTime() : null;
    }
    case 'disputed': {
      return m.category !== 'cancelled' && m.disputedAt ? m.disputedAt.getTime() : null;
    }
    case 'verification_rejected': {
      return m.category !== 'cancelled' && m.verificationRejectedAt ? m.verificationRejectedAt.getTime() : null;
    }
    case 'rule': {
      // Holds until a person resolves it or the milestone is done or cancelled.
      return open && m.ruleEscalation ? m.ruleEscalation.at.getTime() : null;
    }
    case 'invoice_undelivered': {
      return m.category !== 'cancelled' && m.invoiceUndeliveredAt ? m.invoiceUndeliveredAt.getTime() : null;
    }
    case 'payment_overdue': {
      // Invoiced milestones are `done`, and that is exactly when payment is chased.
      if (m.category === 'cancelled' || !m.payment?.outstanding) return null;
      const due = instant(m.payment.dueDate, true);
      return due === null || due > nowMs ? null : due;
    }
    default:
      return null;
  }
}

function earlyWarning(
  m: EscalationMilestone,
  compiled: CompiledEscalationPolicy,
  nowMs: number,
  today: string,
  instant: (value: string | Date | undefined, end: boolean) => number | null,
): Omit<Extract<EscalationAction, { type: 'early_warning' }>, 'at'> | null {
  if (m.percentComplete === undefined) return null;
  const start = instant(m.startDate, false);
  const due = instant(m.dueDate, true);
  if (start === null || due === null || due <= start || nowMs >= due || nowMs <= start) return null;
  if (m.lastEarlyWarningAt && nowMs < m.lastEarlyWarningAt.getTime() + compiled.earlyWarningRepeatMs) return null;
  const elapsed = ((nowMs - start) / (due - start)) * 100;
  let rule: { elapsedAtLeast: number; completeBelow: number } | undefined;
  for (const candidate of compiled.policy.earlyWarning.rules) {
    if (elapsed >= candidate.elapsedAtLeast && m.percentComplete < candidate.completeBelow && (!rule || candidate.elapsedAtLeast > rule.elapsedAtLeast)) rule = candidate;
  }
  if (!rule) return null;
  return {
    type: 'early_warning',
    key: `${m.id}:early_warning:${rule.elapsedAtLeast}:${today}`,
    milestoneId: m.id,
    percentComplete: m.percentComplete,
    expectedPercent: Math.round(elapsed),
    rule: { elapsedAtLeast: rule.elapsedAtLeast, completeBelow: rule.completeBelow },
    notify: compiled.policy.earlyWarning.notify,
    templateKey: 'milestone.early_warning',
  };
}
