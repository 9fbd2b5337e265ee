// Escalation sweep: 100,000 active milestones with a realistic mix of overdue, unanswered,
// disputed and unpaid ones and 5,000 open escalations, swept once per round.
// Target: under 2 s per sweep. Run: node --import tsx bench/escalation-sweep.ts
import { pathToFileURL } from 'node:url';
import { compileEscalationPolicy, DEFAULT_ESCALATION_POLICY, openEscalation, sweepEscalations } from '../core/escalations/index.ts';
import type { Escalation, EscalationMilestone } from '../core/escalations/index.ts';

const NOW = new Date('2026-12-01T06:30:00Z');
const DAY = 86_400_000;

/** Deterministic milestones: spread over a year of due dates, a fifth of them in trouble. */
export function syntheticMilestones(count: number): EscalationMilestone[] {
  const milestones: EscalationMilestone[] = [];
  const criticalities = ['critical', 'high', 'normal', 'low'] as const;
  for (let i = 0; i < count; i += 1) {
    const dueOffset = (i % 365) - 60; // about 60 days of overdue ones, the rest ahead
    const due = new Date(NOW.getTime() + dueOffset * DAY).toISOString().slice(0, 10);
    const start = new Date(NOW.getTime() + (dueOffset - 90) * DAY).toISOString().slice(0, 10);
    const m: EscalationMilestone = {
      id: `m${i}`,
      category: i % 10 === 0 ? 'not_started' : 'active',
      criticality: criticalities[i % 4],
      dueDate: due,
      startDate: start,
      percentComplete: (i * 7) % 100,
    };
    if (i % 13 === 0) m.awaitingResponseSince = new Date(NOW.getTime() - ((i % 5) + 1) * DAY);
    if (i % 97 === 0) m.disputedAt = new Date(NOW.getTime() - (i % 3) * DAY);
    if (i % 53 === 0) m.payment = { dueDate: due, outstanding: true };
    milestones.push(m);
  }
  return milestones;
}

/** Open escalations on every 20th milestone, at various levels and ages. */
export function syntheticEscalations(milestones: readonly EscalationMilestone[]): Escalation[] {
  const escalations: Escalation[] = [];
  for (let i = 0; i < milestones.length; i += 20) {
    const m = milestones[i] as EscalationMilestone;
    const k = i / 20;
    const at = new Date(NOW.getTime() - ((k % 11) * 2 + 1) * 3_600_000);
    const e = openEscalation({ id: `e${i}`, milestoneId: m.id, trigger: 'overdue', causeKey: `overdue:${String(m.dueDate)}`, at });
    escalations.push({ ...e, level: (k % 4) + 1, state: k % 3 === 0 ? 'acknowledged' : 'open' });
  }
  return escalations;
}

export interface SweepFigures {
  milestones: number;
  escalations: number;
  actions: number;
  medianMs: number;
  bestMs: number;
}

export function run({ count = 100_000, rounds = 7 }: { count?: number; rounds?: number } = {}): SweepFigures {
  const milestones = syntheticMilestones(count);
  const escalations = syntheticEscalations(milestones);
  const policy = compileEscalationPolicy(DEFAULT_ESCALATION_POLICY);
  sweepEscalations({ milestones: milestones.slice(0, 5_000), escalations, policy, now: NOW }); // warm-up
  const times: number[] = [];
  let actions = 0;
  for (let r = 0; r < rounds; r += 1) {
    const started = process.hrtime.bigint();
    const result = sweepEscalations({ milestones, escalations, policy, now: NOW });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    actions = result.actions.length;
  }
  times.sort((a, b) => a - b);
  return { milestones: count, escalations: escalations.length, actions, medianMs: times[Math.floor(times.length / 2)] as number, bestMs: times[0] as number };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const f = run();
  console.log(
    `escalation-sweep: ${f.milestones.toLocaleString('en-IN')} milestones, ${f.escalations.toLocaleString('en-IN')} open escalations → ${f.actions.toLocaleString('en-IN')} actions`,
  );
  console.log(`escalation-sweep: median ${f.medianMs.toFixed(1)} ms, best ${f.bestMs.toFixed(1)} ms per sweep (target < 2000 ms)`);
}
