import { z } from 'zod';
import { CHANNELS, durationMs, durationSchema } from '../notifications/index.ts';
import { CRITICALITIES } from '../probes/index.ts';

/** What can start an escalation: timers, events, and a business rule's `escalate` action. */
export const ESCALATION_TRIGGERS = ['overdue', 'no_probe_response', 'disputed', 'verification_rejected', 'payment_overdue', 'invoice_undelivered', 'rule'] as const;

/** One of {@link ESCALATION_TRIGGERS}. */
export type EscalationTriggerType = (typeof ESCALATION_TRIGGERS)[number];

/**
 * Who a level notifies: `owner` (the milestone's primary owner), `owner.manager` (and
 * `owner.manager.manager` …), `person:<id>`, `role:<name>` (everyone with that tenant role) or
 * `client.contact` (the project's client contact).
 */
export const recipientRefSchema = z
  .string()
  .regex(/^(?:owner(?:\.manager){0,4}|person:[A-Za-z0-9_-]{1,64}|role:[A-Za-z0-9_-]{1,64}|client\.contact)$/, 'owner, owner.manager, person:<id>, role:<name> or client.contact');

/** One of the forms {@link recipientRefSchema} accepts. */
export type RecipientRef = z.output<typeof recipientRefSchema>;

const levelSchema = z.strictObject({
  notify: z.array(recipientRefSchema).min(1).max(10),
  /** Channels for this level, in order; omitted means each person's own preference. */
  channels: z.array(z.enum(CHANNELS)).min(1).optional(),
  /**
   * Level 1: how long after the trigger fires the escalation opens (default at once).
   * Later levels: how long the level before has to acknowledge before this one is reached
   * (default `sla.acknowledgeWithin`).
   */
  after: durationSchema.optional(),
  /** How long this level has to resolve once reached, overriding `sla.resolveWithin`. */
  resolveWithin: durationSchema.optional(),
});

const when = z.array(z.enum(CRITICALITIES)).min(1).optional();
const wait = durationSchema.default('PT0S');

const triggerSchema = z.discriminatedUnion('type', [
  /** Overdue by `after` past the end of the due day. */
  z.strictObject({ type: z.literal('overdue'), after: wait, criticality: when }),
  /** A probe unanswered for `after`. */
  z.strictObject({ type: z.literal('no_probe_response'), after: durationSchema, criticality: when }),
  z.strictObject({ type: z.literal('disputed'), after: wait, criticality: when }),
  z.strictObject({ type: z.literal('verification_rejected'), after: wait, criticality: when }),
  /** A milestone payment outstanding `after` past its due date. */
  z.strictObject({ type: z.literal('payment_overdue'), after: wait, criticality: when }),
  /** An invoice (or its reminder) that failed on every channel, retries and fallback included. */
  z.strictObject({ type: z.literal('invoice_undelivered'), after: wait, criticality: when }),
  /**
   * A business rule's `escalate` action, opening at the level the rule names. Active at once
   * even when a policy does not list it; list it to add a wait or a criticality filter.
   */
  z.strictObject({ type: z.literal('rule'), after: wait, criticality: when }),
]);

/** The `rule` trigger a policy gets when it does not list one: a rule that escalates is obeyed. */
const IMPLICIT_RULE_TRIGGER = { type: 'rule', after: 'PT0S' } as const;

const percent = z.number().min(0).max(100);

/**
 * A tenant's escalation policy, as data: the levels of its hierarchy, what triggers an
 * escalation, the SLA each level has, and early warnings when progress lags time.
 */
export const escalationPolicySchema = z
  .strictObject({
    levels: z.array(levelSchema).min(1).max(8),
    triggers: z.array(triggerSchema).min(1),
    sla: z
      .strictObject({
        /** Default time a level has to acknowledge before the next level is reached. */
        acknowledgeWithin: durationSchema.default('PT4H'),
        /** Time a level has to resolve once reached, acknowledged or not; omitted means no limit. */
        resolveWithin: durationSchema.optional(),
      })
      .default({ acknowledgeWithin: 'PT4H' }),
    earlyWarning: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** Warn when at least `elapsedAtLeast`% of the planned time has passed and less than `completeBelow`% is done. */
        rules: z.array(z.strictObject({ elapsedAtLeast: percent, completeBelow: percent })).min(1).default([{ elapsedAtLeast: 60, completeBelow: 40 }]),
        /** Do not warn about the same milestone again within this time. */
        repeatEvery: durationSchema.default('P7D'),
        notify: z.array(recipientRefSchema).min(1).default(['owner', 'owner.manager']),
      })
      .default({ enabled: true, rules: [{ elapsedAtLeast: 60, completeBelow: 40 }], repeatEvery: 'P7D', notify: ['owner', 'owner.manager'] }),
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.triggers.forEach((trigger, i) => {
      if (seen.has(trigger.type)) ctx.addIssue({ code: 'custom', path: ['triggers', i, 'type'], message: `trigger '${trigger.type}' is listed twice` });
      seen.add(trigger.type);
    });
  });

/** Parsed {@link escalationPolicySchema}. */
export type EscalationPolicy = z.output<typeof escalationPolicySchema>;

/** What {@link escalationPolicySchema} accepts. */
export type EscalationPolicyInput = z.input<typeof escalationPolicySchema>;

/** One level of a parsed policy. */
export type EscalationLevel = EscalationPolicy['levels'][number];

/** One trigger of a parsed policy. */
export type EscalationTrigger = EscalationPolicy['triggers'][number];

/**
 * Owner, then manager after 4 hours without acknowledgement, then a director after 8 more,
 * then the client contact after a day; triggered 24 hours overdue, 48 hours without a probe
 * reply, on a dispute, a rejected verification, or a payment 3 days overdue.
 */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = escalationPolicySchema.parse({
  levels: [
    { notify: ['owner'] },
    { notify: ['owner.manager'], after: 'PT4H' },
    { notify: ['role:director'], after: 'PT8H' },
    { notify: ['client.contact'], after: 'P1D' },
  ],
  triggers: [
    { type: 'overdue', after: 'PT24H' },
    { type: 'no_probe_response', after: 'PT48H' },
    { type: 'disputed' },
    { type: 'verification_rejected' },
    { type: 'payment_overdue', after: 'P3D' },
    { type: 'invoice_undelivered' },
  ],
  sla: { acknowledgeWithin: 'PT4H', resolveWithin: 'P3D' },
});

/** A policy with durations in milliseconds, computed once per sweep. */
export interface CompiledEscalationPolicy {
  policy: EscalationPolicy;
  levels: ReadonlyArray<{ level: EscalationLevel; startDelayMs: number; ackWithinMs: number; resolveWithinMs: number | null }>;
  triggers: ReadonlyArray<{ trigger: EscalationTrigger; afterMs: number; criticality: ReadonlySet<string> | null }>;
  earlyWarningRepeatMs: number;
}

/** Turns a parsed policy's durations into milliseconds. */
export function compileEscalationPolicy(policy: EscalationPolicy): CompiledEscalationPolicy {
  const ack = durationMs(policy.sla.acknowledgeWithin);
  const resolve = policy.sla.resolveWithin === undefined ? null : durationMs(policy.sla.resolveWithin);
  return {
    policy,
    levels: policy.levels.map((level, i) => {
      const next = policy.levels[i + 1];
      return {
        level,
        startDelayMs: i === 0 && level.after !== undefined ? durationMs(level.after) : 0,
        ackWithinMs: next?.after !== undefined ? durationMs(next.after) : ack,
        resolveWithinMs: level.resolveWithin !== undefined ? durationMs(level.resolveWithin) : resolve,
      };
    }),
    triggers: [...policy.triggers, ...(policy.triggers.some((t) => t.type === 'rule') ? [] : [IMPLICIT_RULE_TRIGGER])].map((trigger) => ({
      trigger,
      afterMs: durationMs(trigger.after),
      criticality: 'criticality' in trigger && trigger.criticality ? new Set<string>(trigger.criticality) : null,
    })),
    earlyWarningRepeatMs: durationMs(policy.earlyWarning.repeatEvery),
  };
}
