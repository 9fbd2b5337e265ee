import { describe, expect, it } from 'vitest';
import { checkConditionExpression, checkDependencies, dependencySchema } from '../../core/schedule/index.ts';
import type { Dependency, PredecessorState } from '../../core/schedule/index.ts';
import type { StateCategory } from '../../core/workflow/index.ts';

const fs: Dependency = { milestoneId: 'm2', dependsOn: 'm1', type: 'finish-to-start' };
const ss: Dependency = { milestoneId: 'm2', dependsOn: 'm1', type: 'start-to-start' };
const half: Dependency = { milestoneId: 'm2', dependsOn: 'm1', type: 'conditional', condition: 'percentComplete >= 50' };

function check(dependency: Dependency, predecessor: PredecessorState | undefined, targetCategory: StateCategory = 'active', fromCategory?: StateCategory) {
  return checkDependencies({
    milestoneId: 'm2',
    targetCategory,
    ...(fromCategory ? { fromCategory } : {}),
    dependencies: [dependency],
    predecessors: predecessor ? [predecessor] : [],
  });
}

describe('checkDependencies', () => {
  it('finish-to-start: blocks until the predecessor is done', async () => {
    for (const category of ['not_started', 'active'] as const) {
      const result = await check(fs, { id: 'm1', category });
      expect(result.allowed).toBe(false);
      expect(result.blockers).toEqual([expect.objectContaining({ dependsOn: 'm1', type: 'finish-to-start', reason: 'predecessor_not_done' })]);
    }
    expect(await check(fs, { id: 'm1', category: 'done' })).toEqual({ allowed: true, blockers: [] });
  });

  it('start-to-start: blocks until the predecessor has started', async () => {
    expect((await check(ss, { id: 'm1', category: 'not_started' })).blockers[0]?.reason).toBe('predecessor_not_started');
    expect((await check(ss, { id: 'm1', category: 'active' })).allowed).toBe(true);
    expect((await check(ss, { id: 'm1', category: 'done' })).allowed).toBe(true);
  });

  it('conditional: evaluates the JSONata expression over the predecessor', async () => {
    const below = await check(half, { id: 'm1', category: 'active', percentComplete: 40 });
    expect(below.blockers).toEqual([expect.objectContaining({ reason: 'condition_false', condition: 'percentComplete >= 50' })]);
    expect((await check(half, { id: 'm1', category: 'active', percentComplete: 50 })).allowed).toBe(true);
  });

  it('conditional: reads attributes, status and category', async () => {
    const onSite: Dependency = { ...half, condition: "siteReady = true and status = 'in_progress' and category = 'active'" };
    const ready = { id: 'm1', category: 'active', status: 'in_progress', attributes: { siteReady: true } } as const;
    expect((await check(onSite, ready)).allowed).toBe(true);
    expect((await check(onSite, { ...ready, attributes: { siteReady: false } })).allowed).toBe(false);
  });

  it('conditional: a missing attribute does not satisfy the condition', async () => {
    expect((await check(half, { id: 'm1', category: 'active' })).blockers[0]?.reason).toBe('condition_false');
  });

  it('conditional: an expression that fails at run time blocks with condition_error', async () => {
    const broken: Dependency = { ...half, condition: '$number("abc") > 1' };
    const result = await check(broken, { id: 'm1', category: 'active' });
    expect(result.blockers[0]).toMatchObject({ reason: 'condition_error' });
    expect(result.blockers[0]?.message).toMatch(/abc/);
  });

  it('conditional: a runaway expression is stopped instead of hanging', async () => {
    const runaway: Dependency = { ...half, condition: '($f := function($n) { $f($n + 1) }; $f(0))' };
    const result = await check(runaway, { id: 'm1', category: 'active' });
    expect(result.blockers[0]).toMatchObject({ reason: 'condition_error' });
  });

  it('never lets a cancelled predecessor block', async () => {
    for (const dependency of [fs, ss, half]) {
      expect((await check(dependency, { id: 'm1', category: 'cancelled' })).allowed).toBe(true);
    }
  });

  it('blocks when the predecessor is unknown', async () => {
    expect((await check(fs, undefined)).blockers[0]?.reason).toBe('predecessor_missing');
  });

  it('gates entering done as well as active, but not moves within a category or to cancelled', async () => {
    const notDone = { id: 'm1', category: 'active' } as const;
    expect((await check(fs, notDone, 'done', 'active')).allowed).toBe(false);
    expect((await check(fs, notDone, 'active', 'active')).allowed).toBe(true);
    expect((await check(fs, notDone, 'cancelled', 'active')).allowed).toBe(true);
    expect((await check(fs, notDone, 'not_started', 'active')).allowed).toBe(true);
  });

  it("lists every blocker and ignores other milestones' dependencies", async () => {
    const result = await checkDependencies({
      milestoneId: 'm3',
      targetCategory: 'active',
      dependencies: [
        { milestoneId: 'm3', dependsOn: 'a', type: 'finish-to-start' },
        { milestoneId: 'm3', dependsOn: 'b', type: 'start-to-start' },
        { milestoneId: 'm3', dependsOn: 'c', type: 'finish-to-start' },
        { milestoneId: 'other', dependsOn: 'a', type: 'finish-to-start' },
      ],
      predecessors: new Map([
        ['a', { id: 'a', category: 'active' }],
        ['b', { id: 'b', category: 'not_started' }],
        ['c', { id: 'c', category: 'done' }],
      ]),
    });
    expect(result.allowed).toBe(false);
    expect(result.blockers.map((b) => [b.dependsOn, b.reason])).toEqual([
      ['a', 'predecessor_not_done'],
      ['b', 'predecessor_not_started'],
    ]);
  });
});

describe('dependencySchema', () => {
  it('requires a valid expression on conditional dependencies only', () => {
    expect(dependencySchema.safeParse(half).success).toBe(true);
    expect(dependencySchema.safeParse({ ...half, condition: undefined }).success).toBe(false);
    expect(dependencySchema.safeParse({ ...half, condition: 'percentComplete >=' }).success).toBe(false);
    expect(dependencySchema.safeParse({ ...fs, condition: 'true' }).success).toBe(false);
    expect(dependencySchema.safeParse({ ...fs, dependsOn: 'm2' }).success).toBe(false);
  });

  it('reports where an expression is malformed', () => {
    const result = checkConditionExpression('percentComplete >= (50');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_expression');
  });
});
