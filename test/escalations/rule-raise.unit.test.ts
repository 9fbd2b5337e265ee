import { describe, expect, it } from 'vitest';
import { acknowledgeEscalation, applyEscalationAction, escalationPolicySchema, openEscalation, resolveEscalation, sweepEscalations } from '../../core/escalations/index.ts';
import type { Escalation, EscalationMilestone, EscalationPolicy, EscalationPolicyInput } from '../../core/escalations/index.ts';

const HOUR = 3_600_000;
const T0 = new Date('2026-12-01T04:30:00Z');
const at = (hours: number): Date => new Date(T0.getTime() + hours * HOUR);

const LEVELS = [
  { notify: ['owner'] },
  { notify: ['owner.manager'], after: 'PT4H' },
  { notify: ['role:director'], after: 'PT8H', channels: ['whatsapp', 'email'] },
  { notify: ['client.contact'], after: 'P1D' },
] satisfies EscalationPolicyInput['levels'];

const policy = (extra: Partial<EscalationPolicyInput> = {}): EscalationPolicy =>
  escalationPolicySchema.parse({ levels: LEVELS, triggers: [{ type: 'disputed' }], sla: { acknowledgeWithin: 'PT4H' }, earlyWarning: { enabled: false }, ...extra } satisfies EscalationPolicyInput);

/** A rule escalation opened at `level` an hour after T0, for a rule request made at T0. */
const opened = (level: number): Escalation => openEscalation({ id: 'esc-1', milestoneId: 'm-1', trigger: 'rule', causeKey: `rule:${T0.toISOString()}`, at: at(1), level });

/** The milestone as the sweep sees it after a rule asked for `level` at `requestedAt`. */
const asked = (level: number, requestedAt = at(2)): EscalationMilestone => ({ id: 'm-1', category: 'active', ruleEscalation: { at: requestedAt, level } });

describe("a business rule's request for a higher level of its open escalation", () => {
  it('raises the open escalation straight to the requested level, notifying that level as the policy says', () => {
    const { actions } = sweepEscalations({ milestones: [asked(3)], escalations: [opened(1)], policy: policy(), now: at(2) });
    expect(actions).toEqual([
      {
        type: 'raise',
        key: 'esc-1:level-3',
        escalationId: 'esc-1',
        milestoneId: 'm-1',
        trigger: 'rule',
        fromLevel: 1,
        toLevel: 3,
        reason: 'rule_requested',
        at: at(2),
        notify: ['role:director'],
        channels: ['whatsapp', 'email'],
        templateKey: 'escalation.level-3',
      },
    ]);
    const applied = applyEscalationAction(opened(1), actions[0]!);
    expect(applied.ok && applied.value).toMatchObject({ level: 3, state: 'open', levelSince: at(2) });
    expect(applied.ok && applied.value.history.map((h) => [h.type, h.level, h.reason])).toEqual([
      ['opened', 1, 'rule'],
      ['raised', 3, 'rule_requested'],
    ]);
    // Once raised, the same request decides nothing more.
    const raised = applied.ok ? applied.value : opened(1);
    expect(sweepEscalations({ milestones: [asked(3)], escalations: [raised], policy: policy(), now: at(2.5) }).actions).toEqual([]);
  });

  it('leaves the escalation as it is for the same or a lower level', () => {
    for (const level of [1, 2]) {
      expect(sweepEscalations({ milestones: [asked(level)], escalations: [opened(2)], policy: policy(), now: at(2) }).actions).toEqual([]);
    }
  });

  it('raises an acknowledged escalation too, which then has to acknowledge afresh', () => {
    const acked = acknowledgeEscalation(opened(1), { by: 'person:asha', at: at(1.5) });
    if (!acked.ok) throw new Error(acked.error.message);
    const { actions } = sweepEscalations({ milestones: [asked(2)], escalations: [acked.value], policy: policy(), now: at(2) });
    expect(actions).toMatchObject([{ type: 'raise', fromLevel: 1, toLevel: 2, reason: 'rule_requested', notify: ['owner.manager'] }]);
    const applied = applyEscalationAction(acked.value, actions[0]!);
    expect(applied.ok && applied.value.state).toBe('open');
    expect(applied.ok && applied.value.acknowledgedAt).toBeUndefined();
  });

  it("caps the level at the policy's last and does nothing once there", () => {
    expect(sweepEscalations({ milestones: [asked(9)], escalations: [opened(2)], policy: policy(), now: at(2) }).actions).toMatchObject([{ type: 'raise', toLevel: 4, notify: ['client.contact'] }]);
    expect(sweepEscalations({ milestones: [asked(9)], escalations: [opened(4)], policy: policy(), now: at(2) }).actions).toEqual([]);
  });

  it("waits for the rule trigger's wait after the request, as opening does", () => {
    const waiting = policy({ triggers: [{ type: 'rule', after: 'PT2H' }] });
    expect(sweepEscalations({ milestones: [asked(3, at(2))], escalations: [opened(1)], policy: waiting, now: at(3.99) }).actions).toEqual([]);
    expect(sweepEscalations({ milestones: [asked(3, at(2))], escalations: [opened(1)], policy: waiting, now: at(4) }).actions).toMatchObject([{ type: 'raise', toLevel: 3 }]);
  });

  it('raises nothing while escalations of the milestone are paused', () => {
    expect(sweepEscalations({ milestones: [{ ...asked(3), escalationsPaused: true }], escalations: [opened(1)], policy: policy(), now: at(2) }).actions).toEqual([]);
  });

  it('leaves escalations of other triggers to their own SLAs', () => {
    const disputed = openEscalation({ id: 'esc-2', milestoneId: 'm-1', trigger: 'disputed', causeKey: `disputed:${T0.toISOString()}`, at: at(1), level: 1 });
    const { actions } = sweepEscalations({ milestones: [{ ...asked(3), disputedAt: T0 }], escalations: [opened(1), disputed], policy: policy(), now: at(2) });
    expect(actions).toMatchObject([{ type: 'raise', escalationId: 'esc-1', toLevel: 3 }]);
  });
});

describe("a business rule's request once a person resolved its escalation", () => {
  /** The level-`level` escalation resolved by a person at `resolvedAt`. */
  const resolved = (level: number, resolvedAt: Date): Escalation => {
    const result = resolveEscalation(opened(level), { by: 'person:meera', at: resolvedAt });
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  };

  it('opens nothing for a request made while it was open, at any level', () => {
    for (const level of [1, 3]) {
      expect(sweepEscalations({ milestones: [asked(level, at(2))], escalations: [resolved(1, at(3))], policy: policy(), now: at(4) }).actions).toEqual([]);
    }
    // Nor for one made at the instant of the resolution.
    expect(sweepEscalations({ milestones: [asked(1, at(3))], escalations: [resolved(1, at(3))], policy: policy(), now: at(4) }).actions).toEqual([]);
  });

  it('opens a new escalation, at the level asked for, for a request made after the resolution', () => {
    const { actions } = sweepEscalations({ milestones: [asked(2, at(3.5))], escalations: [resolved(3, at(3))], policy: policy(), now: at(4) });
    expect(actions).toMatchObject([{ type: 'open', trigger: 'rule', causeKey: `rule:${at(3.5).toISOString()}`, level: 2, notify: ['owner.manager'] }]);
  });

  it('weighs each resolution alone: a request made after the latest one is a new cause', () => {
    const earlier = { ...resolved(1, at(3)), id: 'esc-0', causeKey: 'rule:2026-11-30T04:30:00.000Z' };
    const later = resolved(1, at(5));
    expect(sweepEscalations({ milestones: [asked(1, at(4))], escalations: [earlier, later], policy: policy(), now: at(6) }).actions).toEqual([]);
    expect(sweepEscalations({ milestones: [asked(1, at(5.5))], escalations: [earlier, later], policy: policy(), now: at(6) }).actions).toMatchObject([{ type: 'open', level: 1 }]);
  });

  it('leaves other triggers as they were: a resolved rule escalation does not hold back a dispute', () => {
    const { actions } = sweepEscalations({ milestones: [{ ...asked(1, at(2)), disputedAt: at(2) }], escalations: [resolved(1, at(3))], policy: policy(), now: at(4) });
    expect(actions).toMatchObject([{ type: 'open', trigger: 'disputed', level: 1 }]);
  });
});
