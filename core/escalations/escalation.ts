import type { EscalationTriggerType } from './escalation-policy.ts';

/** open → acknowledged → resolved. Raising a level returns an acknowledged escalation to open. */
export const ESCALATION_STATES = ['open', 'acknowledged', 'resolved'] as const;

/** One of {@link ESCALATION_STATES}. */
export type EscalationState = (typeof ESCALATION_STATES)[number];

/** One entry of an escalation's history, kept for analytics. */
export interface EscalationEvent {
  at: Date;
  type: 'opened' | 'raised' | 'acknowledged' | 'resolved' | 'sla_breached';
  /** The level after the event. */
  level: number;
  by?: string;
  reason?: string;
}

/** An escalation of one cause on one milestone. */
export interface Escalation {
  id: string;
  milestoneId: string;
  trigger: EscalationTriggerType;
  /** What exactly escalated (`overdue:2026-12-15`): a resolved escalation is not reopened for the same cause. */
  causeKey: string;
  state: EscalationState;
  level: number;
  openedAt: Date;
  /** When the current level was reached; its SLA counts from here. */
  levelSince: Date;
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
  resolvedAt?: Date;
  resolvedBy?: string;
  /** `resolved` by a person, or `cause_cleared` when the sweep found the cause gone. */
  resolution?: 'resolved' | 'cause_cleared';
  /** When the last level's SLA passed. */
  breachedAt?: Date;
  /** The highest level a business rule asked for while this (rule) escalation was open. */
  requestedLevel?: number;
  history: EscalationEvent[];
}

/** Why a state change is refused. */
export type EscalationError =
  | { code: 'already_resolved'; message: string }
  | { code: 'already_acknowledged'; message: string }
  | { code: 'not_higher'; message: string };

/** The outcome of a state change. */
export type EscalationResult = { ok: true; value: Escalation } | { ok: false; error: EscalationError };

const resolvedError: EscalationResult = { ok: false, error: { code: 'already_resolved', message: 'the escalation is resolved' } };

/** A new escalation, at level 1 unless told otherwise (a business rule may name a level). */
export function openEscalation(args: { id: string; milestoneId: string; trigger: EscalationTriggerType; causeKey: string; at: Date; level?: number }): Escalation {
  const { id, milestoneId, trigger, causeKey, at } = args;
  const level = args.level ?? 1;
  return { id, milestoneId, trigger, causeKey, state: 'open', level, openedAt: at, levelSince: at, history: [{ at, type: 'opened', level, reason: trigger }] };
}

/** Someone at the current level has seen it: the acknowledgement SLA stops; the resolve SLA keeps running. */
export function acknowledgeEscalation(escalation: Escalation, args: { by: string; at: Date }): EscalationResult {
  if (escalation.state === 'resolved') return resolvedError;
  if (escalation.state === 'acknowledged') return { ok: false, error: { code: 'already_acknowledged', message: 'the current level has acknowledged already' } };
  return {
    ok: true,
    value: {
      ...escalation,
      state: 'acknowledged',
      acknowledgedAt: args.at,
      acknowledgedBy: args.by,
      history: [...escalation.history, { at: args.at, type: 'acknowledged', level: escalation.level, by: args.by }],
    },
  };
}

/** Closes the escalation: by a person (`resolved`) or because its cause is gone (`cause_cleared`). */
export function resolveEscalation(
  escalation: Escalation,
  args: { at: Date; by?: string; note?: string; resolution?: 'resolved' | 'cause_cleared' },
): EscalationResult {
  if (escalation.state === 'resolved') return resolvedError;
  const resolution = args.resolution ?? 'resolved';
  const event: EscalationEvent = { at: args.at, type: 'resolved', level: escalation.level, reason: args.note ?? resolution };
  if (args.by !== undefined) event.by = args.by;
  const value: Escalation = { ...escalation, state: 'resolved', resolvedAt: args.at, resolution, history: [...escalation.history, event] };
  if (args.by !== undefined) value.resolvedBy = args.by;
  return { ok: true, value };
}

/** Moves to a higher level, which has to acknowledge afresh. */
export function raiseEscalation(escalation: Escalation, args: { toLevel: number; at: Date; reason: string }): EscalationResult {
  if (escalation.state === 'resolved') return resolvedError;
  if (args.toLevel <= escalation.level) return { ok: false, error: { code: 'not_higher', message: `level ${args.toLevel} is not above ${escalation.level}` } };
  const value: Escalation = {
    ...escalation,
    state: 'open',
    level: args.toLevel,
    levelSince: args.at,
    history: [...escalation.history, { at: args.at, type: 'raised', level: args.toLevel, reason: args.reason }],
  };
  delete value.acknowledgedAt;
  delete value.acknowledgedBy;
  return { ok: true, value };
}

/** Records that the last level's SLA passed; the escalation stays as it is otherwise. */
export function breachEscalation(escalation: Escalation, args: { at: Date; reason: string }): EscalationResult {
  if (escalation.state === 'resolved') return resolvedError;
  return {
    ok: true,
    value: {
      ...escalation,
      breachedAt: args.at,
      history: [...escalation.history, { at: args.at, type: 'sla_breached', level: escalation.level, reason: args.reason }],
    },
  };
}
