import { describe, expect, it } from 'vitest';
import {
  acknowledgeEscalation,
  applyEscalationAction,
  DEFAULT_ESCALATION_POLICY,
  escalationPolicySchema,
  escalationReasonText,
  raiseEscalation,
  resolveEscalation,
  resolveRecipients,
  sweepEscalations,
} from '../../core/escalations/index.ts';
import type { Escalation, EscalationAction, EscalationMilestone, EscalationPolicy, EscalationPolicyInput } from '../../core/escalations/index.ts';

const HOUR = 3_600_000;
// The probe went out at 10:00 IST on Tuesday 1 December 2026.
const T0 = new Date('2026-12-01T04:30:00Z');
const at = (hours: number): Date => new Date(T0.getTime() + hours * HOUR);

const POLICY: EscalationPolicy = escalationPolicySchema.parse({
  levels: [
    { notify: ['owner'] },
    { notify: ['owner.manager'], after: 'PT4H', channels: ['whatsapp', 'email'] },
    { notify: ['role:director'], after: 'PT8H' },
  ],
  triggers: [
    { type: 'no_probe_response', after: 'PT48H' },
    { type: 'overdue', after: 'PT24H' },
    { type: 'disputed' },
    { type: 'verification_rejected', after: 'PT2H' },
    { type: 'payment_overdue', after: 'P3D' },
    { type: 'invoice_undelivered' },
  ],
  sla: { acknowledgeWithin: 'PT4H', resolveWithin: 'P2D' },
  earlyWarning: { rules: [{ elapsedAtLeast: 60, completeBelow: 40 }, { elapsedAtLeast: 80, completeBelow: 70 }], repeatEvery: 'P7D' },
} satisfies EscalationPolicyInput);

const quiet: EscalationMilestone = { id: 'm-1', category: 'active', dueDate: '2027-03-31', awaitingResponseSince: T0 };

/** One sweep at `now`, with its actions applied to the escalation records, as the worker would. */
function step(milestones: EscalationMilestone[], escalations: Escalation[], now: Date, policy: EscalationPolicy = POLICY): { actions: EscalationAction[]; escalations: Escalation[] } {
  const { actions } = sweepEscalations({ milestones, escalations, policy, now });
  let next = [...escalations];
  for (const action of actions) {
    if (action.type === 'early_warning') continue;
    const current = action.type === 'open' ? undefined : next.find((e) => e.id === action.escalationId);
    const result = applyEscalationAction(current, action, `esc-${next.length + 1}`);
    if (!result.ok) throw new Error(result.error.message);
    next = current ? next.map((e) => (e.id === current.id ? result.value : e)) : [...next, result.value];
  }
  return { actions, escalations: next };
}

const types = (actions: EscalationAction[]): string[] => actions.map((a) => a.type);

describe('no response escalates level by level as the clock moves', () => {
  it('opens level 1 at 48 hours and raises to level 2 four hours later', () => {
    let state: Escalation[] = [];
    expect(step([quiet], state, at(47.99)).actions).toEqual([]);

    const opened = step([quiet], state, at(48));
    expect(opened.actions).toEqual([
      {
        type: 'open',
        key: `m-1:no_probe_response:${T0.toISOString()}`,
        milestoneId: 'm-1',
        trigger: 'no_probe_response',
        causeKey: `no_probe_response:${T0.toISOString()}`,
        level: 1,
        at: at(48),
        notify: ['owner'],
        templateKey: 'escalation.level-1',
      },
    ]);
    state = opened.escalations;
    expect(state[0]).toMatchObject({ state: 'open', level: 1, levelSince: at(48) });

    expect(step([quiet], state, at(49)).actions).toEqual([]);
    expect(step([quiet], state, at(51.99)).actions).toEqual([]);

    const raised = step([quiet], state, at(52));
    expect(raised.actions).toMatchObject([
      { type: 'raise', escalationId: 'esc-1', fromLevel: 1, toLevel: 2, reason: 'not_acknowledged', at: at(52), notify: ['owner.manager'], channels: ['whatsapp', 'email'], templateKey: 'escalation.level-2', key: 'esc-1:level-2' },
    ]);
    state = raised.escalations;

    // Level 2 has eight hours (the `after` of level 3) before the director hears of it.
    expect(step([quiet], state, at(59.99)).actions).toEqual([]);
    const third = step([quiet], state, at(60));
    expect(third.actions).toMatchObject([{ type: 'raise', fromLevel: 2, toLevel: 3, notify: ['role:director'], templateKey: 'escalation.level-3' }]);
    state = third.escalations;

    // The last level cannot be raised; its breach is recorded once.
    const breach = step([quiet], state, at(64));
    expect(breach.actions).toMatchObject([{ type: 'breach', escalationId: 'esc-1', level: 3, reason: 'not_acknowledged' }]);
    expect(step([quiet], breach.escalations, at(70)).actions).toEqual([]);

    expect(breach.escalations[0]?.history.map((h) => [h.type, h.level, h.at.toISOString()])).toEqual([
      ['opened', 1, at(48).toISOString()],
      ['raised', 2, at(52).toISOString()],
      ['raised', 3, at(60).toISOString()],
      ['sla_breached', 3, at(64).toISOString()],
    ]);
  });

  it('stops raising once acknowledged, until the resolve SLA passes', () => {
    let state = step([quiet], [], at(48)).escalations;
    const ack = acknowledgeEscalation(state[0]!, { by: 'owner-1', at: at(49) });
    expect(ack.ok).toBe(true);
    state = [ack.ok ? ack.value : state[0]!];
    expect(step([quiet], state, at(52)).actions).toEqual([]);
    expect(step([quiet], state, at(95)).actions).toEqual([]);
    // Resolve within two days of reaching the level: 48 + 48 hours.
    expect(step([quiet], state, at(96)).actions).toMatchObject([{ type: 'raise', toLevel: 2, reason: 'not_resolved' }]);
    const raised = step([quiet], state, at(96)).escalations[0]!;
    expect(raised).toMatchObject({ state: 'open', level: 2 });
    expect(raised.acknowledgedAt).toBeUndefined();
  });

  it('closes when the owner answers, and does not reopen the same cause after a person resolved it', () => {
    let state = step([quiet], [], at(48)).escalations;
    const answered: EscalationMilestone = { ...quiet, awaitingResponseSince: undefined };
    const closed = step([answered], state, at(50));
    expect(closed.actions).toMatchObject([{ type: 'close', escalationId: 'esc-1', reason: 'cause_cleared' }]);
    expect(closed.escalations[0]).toMatchObject({ state: 'resolved', resolution: 'cause_cleared', resolvedAt: at(50) });

    // A person resolves it while the cause still holds: the sweep leaves it resolved.
    state = step([quiet], [], at(48)).escalations;
    const resolved = resolveEscalation(state[0]!, { by: 'manager-1', at: at(49), note: 'called the owner' });
    expect(resolved.ok && resolved.value).toMatchObject({ state: 'resolved', resolution: 'resolved', resolvedBy: 'manager-1' });
    state = [resolved.ok ? resolved.value : state[0]!];
    expect(step([quiet], state, at(60)).actions).toEqual([]);

    // A new unanswered probe is a new cause.
    const again: EscalationMilestone = { ...quiet, awaitingResponseSince: at(70) };
    expect(types(step([again], state, at(118)).actions)).toEqual(['open']);
  });

  it('closes every escalation when the milestone closes', () => {
    const state = step([quiet], [], at(48)).escalations;
    expect(step([{ ...quiet, category: 'cancelled' }], state, at(49)).actions).toMatchObject([{ type: 'close', reason: 'milestone_closed' }]);
  });

  it('opens nothing while paused, and leaves milestones outside the batch alone', () => {
    expect(step([{ ...quiet, escalationsPaused: true }], [], at(100)).actions).toEqual([]);
    const state = step([quiet], [], at(48)).escalations;
    expect(step([], state, at(100)).actions).toEqual([]);
  });
});

describe('time and event triggers', () => {
  it('opens an overdue escalation 24 hours after the end of the due day in IST', () => {
    // Due 10 Dec: the day ends at 18:30 UTC; plus 24 hours.
    const late: EscalationMilestone = { id: 'm-2', category: 'active', dueDate: '2026-12-10' };
    expect(step([late], [], new Date('2026-12-11T18:29:59Z')).actions).toEqual([]);
    expect(step([late], [], new Date('2026-12-11T18:30:00Z')).actions).toMatchObject([{ type: 'open', trigger: 'overdue', causeKey: 'overdue:2026-12-10T18:30:00.000Z' }]);
    // Replanned to a later date: the cause is gone.
    const state = step([late], [], new Date('2026-12-11T18:30:00Z')).escalations;
    expect(step([{ ...late, dueDate: '2026-12-20' }], state, new Date('2026-12-12T00:00:00Z')).actions).toMatchObject([{ type: 'close', reason: 'cause_cleared' }]);
  });

  it('opens at once on a dispute', () => {
    const disputed: EscalationMilestone = { id: 'm-3', category: 'active', disputedAt: at(0) };
    expect(step([disputed], [], at(0)).actions).toMatchObject([{ type: 'open', trigger: 'disputed', level: 1 }]);
  });

  it('opens at once when an invoice could not be delivered, and closes once one is', () => {
    const undelivered: EscalationMilestone = { id: 'm-9', category: 'done', invoiceUndeliveredAt: at(0) };
    const opened = step([undelivered], [], at(0));
    expect(opened.actions).toMatchObject([{ type: 'open', trigger: 'invoice_undelivered', level: 1 }]);
    // Invoiced milestones are done; the escalation stays open while nobody has the invoice.
    const still = step([undelivered], opened.escalations, at(1));
    expect(still.actions.filter((x) => x.type === 'close')).toEqual([]);
    const { invoiceUndeliveredAt: _cleared, ...delivered } = undelivered;
    expect(step([delivered], still.escalations, at(2)).actions).toMatchObject([{ type: 'close', trigger: 'invoice_undelivered' }]);
  });

  it('opens two hours after verification is rejected', () => {
    const rejected: EscalationMilestone = { id: 'm-4', category: 'active', verificationRejectedAt: at(0) };
    expect(step([rejected], [], at(1)).actions).toEqual([]);
    expect(step([rejected], [], at(2)).actions).toMatchObject([{ type: 'open', trigger: 'verification_rejected' }]);
  });

  it('chases an overdue payment on an invoiced (done) milestone, and stops once paid', () => {
    const invoiced: EscalationMilestone = { id: 'm-5', category: 'done', dueDate: '2026-11-01', payment: { dueDate: '2026-12-01', outstanding: true } };
    // Payment due 1 Dec ends 18:30 UTC that day; three days later.
    expect(step([invoiced], [], new Date('2026-12-04T18:29:00Z')).actions).toEqual([]);
    const opened = step([invoiced], [], new Date('2026-12-04T18:30:00Z'));
    expect(opened.actions).toMatchObject([{ type: 'open', trigger: 'payment_overdue' }]);
    const paid = { ...invoiced, payment: { dueDate: '2026-12-01', outstanding: false } };
    expect(step([paid], opened.escalations, new Date('2026-12-05T00:00:00Z')).actions).toMatchObject([{ type: 'close', trigger: 'payment_overdue' }]);
  });

  it('opens separate escalations for separate causes on one milestone', () => {
    const both: EscalationMilestone = { id: 'm-6', category: 'active', dueDate: '2026-11-20', awaitingResponseSince: at(-100), disputedAt: at(-1) };
    expect(step([both], [], at(0)).actions.map((a) => a.type === 'open' && a.trigger)).toEqual(['no_probe_response', 'overdue', 'disputed']);
  });

  it('applies a trigger only to the criticalities it names', () => {
    const policy = escalationPolicySchema.parse({ ...POLICY, triggers: [{ type: 'overdue', criticality: ['critical', 'high'] }] });
    const due = { category: 'active' as const, dueDate: '2026-11-20' };
    const { actions } = sweepEscalations({
      milestones: [
        { id: 'crit', criticality: 'critical', ...due },
        { id: 'norm', criticality: 'normal', ...due },
        { id: 'none', ...due },
      ],
      escalations: [],
      policy,
      now: at(0),
    });
    expect(actions.map((a) => a.milestoneId)).toEqual(['crit']);
  });
});

describe('early warnings', () => {
  // Planned 1 Nov to 30 Nov (IST): at 10:00 IST on 20 Nov, 19 days 10 hours of 30 days (65%) have passed.
  const base: EscalationMilestone = { id: 'm-7', category: 'active', startDate: '2026-11-01', dueDate: '2026-11-30' };
  const now = new Date('2026-11-20T04:30:00Z');

  it('warns when percent complete lags the time elapsed', () => {
    const { actions } = sweepEscalations({ milestones: [{ ...base, percentComplete: 30 }], escalations: [], policy: POLICY, now });
    expect(actions).toEqual([
      {
        type: 'early_warning',
        key: 'm-7:early_warning:60:2026-11-20',
        milestoneId: 'm-7',
        at: now,
        percentComplete: 30,
        expectedPercent: 65,
        rule: { elapsedAtLeast: 60, completeBelow: 40 },
        notify: ['owner', 'owner.manager'],
        templateKey: 'milestone.early_warning',
      },
    ]);
  });

  it('stays quiet when progress keeps up, before the threshold, and within the repeat time', () => {
    const sweep = (m: EscalationMilestone, when = now): EscalationAction[] => sweepEscalations({ milestones: [m], escalations: [], policy: POLICY, now: when }).actions;
    expect(sweep({ ...base, percentComplete: 45 })).toEqual([]);
    expect(sweep({ ...base, percentComplete: 10 }, new Date('2026-11-15T04:30:00Z'))).toEqual([]);
    expect(sweep({ ...base, percentComplete: 10, lastEarlyWarningAt: new Date('2026-11-15T04:30:00Z') })).toEqual([]);
    expect(sweep({ ...base, percentComplete: 10, lastEarlyWarningAt: new Date('2026-11-13T04:30:00Z') })).toHaveLength(1);
    expect(sweep({ ...base })).toEqual([]);
    expect(sweep({ ...base, percentComplete: 10, category: 'done' })).toEqual([]);
  });

  it('uses the most severe rule that applies', () => {
    const late = new Date('2026-11-26T04:30:00Z'); // 25 days 10 hours of 30: 85%
    const { actions } = sweepEscalations({ milestones: [{ ...base, percentComplete: 50 }], escalations: [], policy: POLICY, now: late });
    expect(actions).toMatchObject([{ type: 'early_warning', rule: { elapsedAtLeast: 80, completeBelow: 70 }, expectedPercent: 85 }]);
  });
});

describe('escalation state machine', () => {
  const opened = (): Escalation => step([quiet], [], at(48)).escalations[0]!;

  it('refuses to acknowledge twice, or to change a resolved escalation', () => {
    const acked = acknowledgeEscalation(opened(), { by: 'u', at: at(49) });
    expect(acked.ok && acknowledgeEscalation(acked.value, { by: 'u', at: at(50) })).toMatchObject({ ok: false, error: { code: 'already_acknowledged' } });
    const resolved = resolveEscalation(opened(), { at: at(49) });
    if (!resolved.ok) throw new Error('resolve failed');
    expect(acknowledgeEscalation(resolved.value, { by: 'u', at: at(50) })).toMatchObject({ ok: false, error: { code: 'already_resolved' } });
    expect(resolveEscalation(resolved.value, { at: at(50) })).toMatchObject({ ok: false, error: { code: 'already_resolved' } });
    expect(raiseEscalation(resolved.value, { toLevel: 2, at: at(50), reason: 'x' })).toMatchObject({ ok: false, error: { code: 'already_resolved' } });
    expect(raiseEscalation(opened(), { toLevel: 1, at: at(50), reason: 'x' })).toMatchObject({ ok: false, error: { code: 'not_higher' } });
  });

  it('records who acknowledged and resolved, with times, for analytics', () => {
    const acked = acknowledgeEscalation(opened(), { by: 'owner-1', at: at(49) });
    if (!acked.ok) throw new Error('ack failed');
    const resolved = resolveEscalation(acked.value, { by: 'owner-1', at: at(55), note: 'slab poured' });
    if (!resolved.ok) throw new Error('resolve failed');
    expect(resolved.value.history).toEqual([
      { at: at(48), type: 'opened', level: 1, reason: 'no_probe_response' },
      { at: at(49), type: 'acknowledged', level: 1, by: 'owner-1' },
      { at: at(55), type: 'resolved', level: 1, by: 'owner-1', reason: 'slab poured' },
    ]);
  });
});

describe('escalation policies', () => {
  it('ships a four-level default: owner, manager, director, client', () => {
    expect(DEFAULT_ESCALATION_POLICY.levels.map((l) => l.notify)).toEqual([['owner'], ['owner.manager'], ['role:director'], ['client.contact']]);
    expect(DEFAULT_ESCALATION_POLICY.triggers.map((t) => t.type)).toEqual(['overdue', 'no_probe_response', 'disputed', 'verification_rejected', 'payment_overdue', 'invoice_undelivered']);
  });

  it.each([
    ['no levels', { levels: [], triggers: [{ type: 'disputed' }] }],
    ['no triggers', { levels: [{ notify: ['owner'] }], triggers: [] }],
    ['an unknown recipient', { levels: [{ notify: ['owner.boss'] }], triggers: [{ type: 'disputed' }] }],
    ['an unknown trigger', { levels: [{ notify: ['owner'] }], triggers: [{ type: 'sad' }] }],
    ['a trigger twice', { levels: [{ notify: ['owner'] }], triggers: [{ type: 'disputed' }, { type: 'disputed' }] }],
    ['a bad duration', { levels: [{ notify: ['owner'] }], triggers: [{ type: 'no_probe_response', after: '48 hours' }] }],
    ['no_probe_response without a time', { levels: [{ notify: ['owner'] }], triggers: [{ type: 'no_probe_response' }] }],
    ['a threshold over 100', { levels: [{ notify: ['owner'] }], triggers: [{ type: 'disputed' }], earlyWarning: { rules: [{ elapsedAtLeast: 160, completeBelow: 40 }] } }],
  ])('refuses %s', (_name, input) => {
    expect(escalationPolicySchema.safeParse(input).success).toBe(false);
  });

  it('resolves recipients through the directory and reports the ones it cannot', () => {
    const managers: Record<string, string> = { owner: 'manager', manager: 'director' };
    const directory = {
      ownerId: 'owner',
      managerOf: (id: string) => managers[id],
      peopleWithRole: (role: string) => (role === 'finance' ? ['f1', 'f2'] : []),
      clientContactId: 'client-1',
    };
    expect(resolveRecipients(['owner', 'owner.manager', 'owner.manager.manager', 'role:finance', 'person:p9', 'client.contact', 'owner'], directory)).toEqual({
      personIds: ['owner', 'manager', 'director', 'f1', 'f2', 'p9', 'client-1'],
      unresolved: [],
    });
    expect(resolveRecipients(['owner.manager.manager.manager', 'role:director'], { ...directory, clientContactId: undefined })).toEqual({
      personIds: [],
      unresolved: ['owner.manager.manager.manager', 'role:director'],
    });
  });

  it('describes each trigger for the message, in English and Hindi', () => {
    expect(escalationReasonText('no_probe_response', 'en')).toBe('there has been no reply to status requests');
    expect(escalationReasonText('payment_overdue', 'hi')).toBe('इसका भुगतान बकाया है');
  });
});
