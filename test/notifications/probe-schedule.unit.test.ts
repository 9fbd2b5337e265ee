import { describe, expect, it } from 'vitest';
import { DEFAULT_PROBE_POLICY, nextProbeAt, probeOverrideSchema, probePolicySchema } from '../../core/probes/index.ts';
import type { ProbeMilestone, ProbeSchedule } from '../../core/probes/index.ts';
import { parseDuration } from '../../core/notifications/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Monday 2 March 2026, 10:00 IST.
const NOW = new Date('2026-03-02T04:30:00Z');
const daysFromNow = (days: number): string => new Date(NOW.getTime() + days * DAY).toISOString().slice(0, 10);

function schedule(milestone: Partial<ProbeMilestone>, extra: { lastProbeAt?: Date; lastResponseAt?: Date; now?: Date } = {}): ProbeSchedule {
  return nextProbeAt({ milestone: { category: 'active', ...milestone }, policy: DEFAULT_PROBE_POLICY, now: NOW, ...extra });
}

function scheduled(result: ProbeSchedule): { at: Date; intervalMs: number; basis: string } {
  if (result.kind !== 'scheduled') throw new Error(`skipped: ${result.reason}`);
  return result;
}

describe('nextProbeAt', () => {
  const lastProbeAt = new Date(NOW.getTime() - HOUR);

  it.each([
    ['critical', 1],
    ['high', 2],
    ['normal', 7],
    ['medium', 7],
    ['low', 14],
  ] as const)('probes a %s milestone every %i days', (criticality, days) => {
    const result = scheduled(schedule({ criticality, dueDate: daysFromNow(60) }, { lastProbeAt }));
    expect(result.intervalMs).toBe(days * DAY);
    expect(result.at.getTime()).toBe(lastProbeAt.getTime() + days * DAY);
    expect(result.basis).toBe('criticality');
  });

  it('probes at once when the owner was never asked', () => {
    expect(scheduled(schedule({ criticality: 'low' })).at).toEqual(NOW);
  });

  it('never schedules in the past', () => {
    const longAgo = new Date(NOW.getTime() - 30 * DAY);
    expect(scheduled(schedule({ criticality: 'normal' }, { lastProbeAt: longAgo })).at).toEqual(NOW);
  });

  it('tightens to every 2 days within a week of the due date, then daily within 2 days', () => {
    expect(scheduled(schedule({ criticality: 'low', dueDate: daysFromNow(8) }, { lastProbeAt })).intervalMs).toBe(14 * DAY);
    expect(scheduled(schedule({ criticality: 'low', dueDate: daysFromNow(5) }, { lastProbeAt }))).toMatchObject({ intervalMs: 2 * DAY, basis: 'near_due' });
    expect(scheduled(schedule({ criticality: 'normal', dueDate: daysFromNow(1) }, { lastProbeAt }))).toMatchObject({ intervalMs: DAY, basis: 'near_due' });
  });

  it('counts the due date to the end of that day in the tenant zone', () => {
    // Due Monday 9 March: ends at 00:00 IST on the 10th, 7 days and 14 hours from now: not yet within a week.
    expect(scheduled(schedule({ criticality: 'normal', dueDate: '2026-03-09' }, { lastProbeAt })).intervalMs).toBe(7 * DAY);
    // Due Sunday 8 March: ends 6 days and 14 hours from now.
    expect(scheduled(schedule({ criticality: 'normal', dueDate: '2026-03-08' }, { lastProbeAt })).intervalMs).toBe(2 * DAY);
  });

  it('probes daily once overdue', () => {
    expect(scheduled(schedule({ criticality: 'low', dueDate: daysFromNow(-3) }, { lastProbeAt }))).toMatchObject({ intervalMs: DAY, basis: 'overdue' });
  });

  it('tightens as risk rises', () => {
    expect(scheduled(schedule({ criticality: 'normal', risk: 'high', dueDate: daysFromNow(60) }, { lastProbeAt }))).toMatchObject({ intervalMs: 2 * DAY, basis: 'risk' });
    expect(scheduled(schedule({ criticality: 'normal', risk: 'medium', dueDate: daysFromNow(60) }, { lastProbeAt })).intervalMs).toBe(7 * DAY);
    const policy = probePolicySchema.parse({ risk: { medium: 'P4D', high: 'P1D' } });
    const result = nextProbeAt({ milestone: { category: 'active', risk: 'medium' }, policy, lastProbeAt, now: NOW });
    expect(scheduled(result).intervalMs).toBe(4 * DAY);
  });

  it('takes a per-milestone interval, still tightened near the due date', () => {
    expect(scheduled(schedule({ criticality: 'normal', probe: { every: 'P3D' }, dueDate: daysFromNow(60) }, { lastProbeAt }))).toMatchObject({ intervalMs: 3 * DAY, basis: 'override' });
    expect(scheduled(schedule({ criticality: 'normal', probe: { every: 'P3D' }, dueDate: daysFromNow(1) }, { lastProbeAt })).intervalMs).toBe(DAY);
  });

  it('counts from the last reply when the owner answered, or wrote unasked, after the last probe', () => {
    const lastResponseAt = new Date(NOW.getTime() - 10 * 60_000);
    expect(scheduled(schedule({ criticality: 'high' }, { lastProbeAt, lastResponseAt })).at.getTime()).toBe(lastResponseAt.getTime() + 2 * DAY);
    expect(scheduled(schedule({ criticality: 'high' }, { lastResponseAt })).at.getTime()).toBe(lastResponseAt.getTime() + 2 * DAY);
  });

  it.each([
    ['done', 'closed'],
    ['cancelled', 'closed'],
  ] as const)('skips %s milestones', (category, reason) => {
    expect(schedule({ category })).toEqual({ kind: 'skip', reason });
  });

  it('skips paused milestones, and unstarted ones when the policy says so', () => {
    expect(schedule({ probe: { paused: true } })).toEqual({ kind: 'skip', reason: 'paused' });
    expect(scheduled(schedule({ category: 'not_started' })).at).toEqual(NOW);
    const policy = probePolicySchema.parse({ probeNotStarted: false });
    expect(nextProbeAt({ milestone: { category: 'not_started' }, policy, now: NOW })).toEqual({ kind: 'skip', reason: 'not_started' });
  });

  it('validates policies and overrides as data', () => {
    expect(probePolicySchema.safeParse({ every: { critical: 'P1D', high: 'P2D', normal: 'P1M', low: 'P14D' } }).success).toBe(false);
    expect(probePolicySchema.safeParse({ overdue: 'daily' }).success).toBe(false);
    expect(probeOverrideSchema.safeParse({ every: 'PT12H' }).success).toBe(true);
    expect(probeOverrideSchema.safeParse({ paused: false }).success).toBe(false);
    expect(DEFAULT_PROBE_POLICY.every).toEqual({ critical: 'P1D', high: 'P2D', normal: 'P7D', low: 'P14D' });
  });

  it.each([
    ['P1D', DAY],
    ['PT36H', 36 * HOUR],
    ['P1DT12H', 36 * HOUR],
    ['P2W', 14 * DAY],
    ['PT90M', 90 * 60_000],
    ['P', null],
    ['PT', null],
    ['P1M', null],
    ['1D', null],
  ] as const)('reads the duration %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
