import { describe, expect, it } from 'vitest';
import { compileEscalationPolicy, DEFAULT_ESCALATION_POLICY, openEscalation, sweepEscalations } from '../../core/escalations/index.ts';
import type { Escalation, EscalationAction, EscalationMilestone } from '../../core/escalations/index.ts';

const NOW = new Date('2026-12-01T06:30:00Z');
const DAY = 86_400_000;
const COUNT = 100_000;

function milestones(): EscalationMilestone[] {
  const list: EscalationMilestone[] = [];
  for (let i = 0; i < COUNT; i += 1) {
    const offset = (i % 365) - 60;
    const m: EscalationMilestone = {
      id: `m${i}`,
      category: i % 10 === 0 ? 'not_started' : i % 17 === 0 ? 'done' : 'active',
      dueDate: new Date(NOW.getTime() + offset * DAY).toISOString().slice(0, 10),
      startDate: new Date(NOW.getTime() + (offset - 90) * DAY).toISOString().slice(0, 10),
      percentComplete: (i * 7) % 100,
    };
    if (i % 13 === 0) m.awaitingResponseSince = new Date(NOW.getTime() - ((i % 5) + 1) * DAY);
    if (i % 97 === 0) m.disputedAt = new Date(NOW.getTime() - (i % 3) * DAY);
    if (i % 53 === 0) m.payment = { dueDate: m.dueDate as string, outstanding: i % 2 === 0 };
    list.push(m);
  }
  return list;
}

function escalations(list: readonly EscalationMilestone[]): Escalation[] {
  const out: Escalation[] = [];
  for (let i = 0; i < list.length; i += 20) {
    const k = i / 20;
    const opened = openEscalation({ id: `e${i}`, milestoneId: `m${i}`, trigger: 'overdue', causeKey: `overdue:${i}`, at: new Date(NOW.getTime() - ((k % 11) * 2 + 1) * 3_600_000) });
    out.push({ ...opened, level: (k % 4) + 1, state: k % 3 === 0 ? 'acknowledged' : 'open' });
  }
  return out;
}

const byMilestone = (actions: readonly EscalationAction[]): Map<string, EscalationAction[]> => {
  const map = new Map<string, EscalationAction[]>();
  for (const a of actions) map.set(a.milestoneId, [...(map.get(a.milestoneId) ?? []), a]);
  return map;
};

describe('sweeping 100,000 active milestones', () => {
  const all = milestones();
  const open = escalations(all);
  const policy = compileEscalationPolicy(DEFAULT_ESCALATION_POLICY);
  const result = sweepEscalations({ milestones: all, escalations: open, policy, now: NOW });
  const grouped = byMilestone(result.actions);

  it('looks at every milestone and finds work to do', () => {
    expect(result.scanned).toBe(COUNT);
    const counts = Object.fromEntries(['open', 'raise', 'breach', 'close', 'early_warning'].map((t) => [t, result.actions.filter((a) => a.type === t).length]));
    for (const count of Object.values(counts)) expect(count).toBeGreaterThan(0);
  });

  it('decides for each milestone exactly what it decides for that milestone alone (a sample of 500)', () => {
    for (let i = 0; i < COUNT; i += 199) {
      const m = all[i]!;
      const alone = sweepEscalations({ milestones: [m], escalations: open.filter((e) => e.milestoneId === m.id), policy, now: NOW });
      expect(grouped.get(m.id) ?? [], m.id).toEqual(alone.actions);
    }
  });

  it('gets known cases right', () => {
    // m0: disputed today (opens at once) and its payment is 60 days overdue (> 3 days); its open
    // overdue escalation is acknowledged at level 1 an hour ago, well inside the resolve SLA.
    expect((grouped.get('m0') ?? []).map((a) => `${a.type}:${'trigger' in a ? a.trigger : ''}`)).toEqual(['open:disputed', 'open:payment_overdue']);
    // m13: awaiting a reply for 4 days (> 48 h) and due 47 days ago (> 24 h): two escalations open.
    expect((grouped.get('m13') ?? []).map((a) => a.type === 'open' && a.trigger)).toEqual(['overdue', 'no_probe_response']);
    // m400: level 1, unacknowledged for 19 hours (> 4 h): raised to the manager.
    expect(grouped.get('m400')).toMatchObject([{ type: 'raise', escalationId: 'e400', fromLevel: 1, toLevel: 2, reason: 'not_acknowledged', notify: ['owner.manager'] }]);
    // m740: level 2, unacknowledged for 9 hours (> the 8 hours level 3 allows): raised to the director.
    expect(grouped.get('m740')).toMatchObject([{ type: 'raise', fromLevel: 2, toLevel: 3, notify: ['role:director'] }]);
    // m380: level 4 (the last), unacknowledged for 17 hours: an SLA breach, nothing higher to raise to.
    expect(grouped.get('m380')).toMatchObject([{ type: 'breach', escalationId: 'e380', level: 4 }]);
    // m340: due in 280 days, yet escalated as overdue: the cause is gone, so it closes.
    expect(grouped.get('m340')).toMatchObject([{ type: 'close', escalationId: 'e340', reason: 'cause_cleared' }]);
    // m85: done (85 % 17 == 0) with nothing outstanding: nothing to do.
    expect(grouped.get('m85')).toBeUndefined();
  });

  it('never opens two escalations for one cause, nor raises one twice', () => {
    const keys = result.actions.map((a) => a.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
