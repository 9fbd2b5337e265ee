import { describe, expect, it } from 'vitest';
import { criticalPath } from '../../core/schedule/index.ts';
import type { Dependency } from '../../core/schedule/index.ts';

const fs = (milestoneId: string, dependsOn: string, lagDays?: number): Dependency => ({
  milestoneId,
  dependsOn,
  type: 'finish-to-start',
  ...(lagDays === undefined ? {} : { lagDays }),
});
const ss = (milestoneId: string, dependsOn: string, lagDays?: number): Dependency => ({
  milestoneId,
  dependsOn,
  type: 'start-to-start',
  ...(lagDays === undefined ? {} : { lagDays }),
});

describe('criticalPath', () => {
  it('computes starts, finishes and slack on a worked example', () => {
    // A(3) → B(2) → D(2) → F(1); A → C(4) → F; C =SS=> E(3) → F.
    // Forward:  A 0–3, B 3–5, C 3–7, D 5–7, E starts with C: 3–6, F waits for D, C, E: 7–8. Project: 8.
    // Backward: F 7–8; E must finish by F's start 7 → 4–7 (slack 1); D 5–7; C must finish by 7 (F)
    //           and start by E's latest start 4 (SS) → 3–7; B by D's start 5 → 3–5; A by 3 → 0–3.
    // Free slack of E: F starts at 7, E finishes at 6 → 1. Everything else: 0.
    // Critical: A, B, C, D, F; by earliest start, then earliest finish: A(0), B(3–5), C(3–7), D(5), F(7).
    const result = criticalPath({
      items: ['A:3', 'B:2', 'C:4', 'D:2', 'E:3', 'F:1'].map((s) => {
        const [id, days] = s.split(':');
        return { id: id as string, durationDays: Number(days) };
      }),
      dependencies: [fs('B', 'A'), fs('C', 'A'), fs('D', 'B'), ss('E', 'C'), fs('F', 'D'), fs('F', 'C'), fs('F', 'E')],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { projectDuration, items, criticalPath: path } = result.value;
    expect(projectDuration).toBe(8);
    const table = Object.fromEntries(
      items.map((i) => [i.id, [i.earliestStart, i.earliestFinish, i.latestStart, i.latestFinish, i.slack, i.freeSlack]]),
    );
    expect(table).toEqual({
      A: [0, 3, 0, 3, 0, 0],
      B: [3, 5, 3, 5, 0, 0],
      C: [3, 7, 3, 7, 0, 0],
      D: [5, 7, 5, 7, 0, 0],
      E: [3, 6, 4, 7, 1, 1],
      F: [7, 8, 7, 8, 0, 0],
    });
    expect(path).toEqual(['A', 'B', 'C', 'D', 'F']);
  });

  it('lets a long predecessor stay critical over a short start-to-start successor', () => {
    // X(4) =SS+1=> Y(2): Y runs 1–3, the project ends with X at 4. Y may start as late as 2 (slack 1);
    // X's latest finish is min(project 4, LS(Y) − lag + d(X) = 2 − 1 + 4 = 5) = 4, so X has no slack.
    const result = criticalPath({ items: [{ id: 'X', durationDays: 4 }, { id: 'Y', durationDays: 2 }], dependencies: [ss('Y', 'X', 1)] });
    expect(result.ok && result.value.items).toEqual([
      expect.objectContaining({ id: 'X', earliestStart: 0, latestStart: 0, slack: 0, freeSlack: 0 }),
      expect.objectContaining({ id: 'Y', earliestStart: 1, latestStart: 2, slack: 1, freeSlack: 1 }),
    ]);
    expect(result.ok && result.value.criticalPath).toEqual(['X']);
  });

  it('adds finish-to-start lag', () => {
    const result = criticalPath({
      items: [{ id: 'pour', durationDays: 1 }, { id: 'cure', durationDays: 0 }, { id: 'build', durationDays: 5 }],
      dependencies: [fs('build', 'pour', 7)],
    });
    expect(result.ok && result.value.projectDuration).toBe(13);
    expect(result.ok && result.value.items[2]).toMatchObject({ earliestStart: 8, slack: 0 });
    expect(result.ok && result.value.items[1]).toMatchObject({ earliestStart: 0, slack: 13 });
  });

  it('takes durations from planned dates, in working or calendar days', () => {
    // Friday 3 to Tuesday 7 January 2025: Fri, Mon, Tue are worked; five calendar days.
    const items = [{ id: 'm', plannedStart: '2025-01-03', dueDate: '2025-01-07' }];
    expect(criticalPath({ items, dependencies: [] })).toMatchObject({ ok: true, value: { projectDuration: 3 } });
    expect(criticalPath({ items, dependencies: [], durationUnit: 'calendar' })).toMatchObject({ value: { projectDuration: 5 } });
    expect(criticalPath({ items, dependencies: [], calendar: { week: 'six-day' } })).toMatchObject({ value: { projectDuration: 4 } });
  });

  it('ignores conditional dependencies when scheduling', () => {
    const result = criticalPath({
      items: [{ id: 'a', durationDays: 2 }, { id: 'b', durationDays: 2 }],
      dependencies: [{ milestoneId: 'b', dependsOn: 'a', type: 'conditional', condition: 'percentComplete >= 50' }],
    });
    expect(result.ok && result.value.projectDuration).toBe(2);
  });

  it('refuses cycles and names them', () => {
    const result = criticalPath({
      items: ['a', 'b', 'c'].map((id) => ({ id, durationDays: 1 })),
      dependencies: [fs('a', 'b'), fs('b', 'c'), ss('c', 'a')],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'cycle' } });
    if (!result.ok && result.error.code === 'cycle') expect(new Set(result.error.cycle)).toEqual(new Set(['a', 'b', 'c']));
  });

  it('refuses unknown milestones, duplicates and bad durations', () => {
    expect(criticalPath({ items: [{ id: 'a', durationDays: 1 }], dependencies: [fs('a', 'ghost')] })).toMatchObject({
      ok: false,
      error: { code: 'unknown_milestone', milestoneId: 'ghost' },
    });
    expect(criticalPath({ items: [{ id: 'a', durationDays: 1 }, { id: 'a', durationDays: 1 }], dependencies: [] })).toMatchObject({
      error: { code: 'duplicate_milestone' },
    });
    for (const item of [{ id: 'a', durationDays: -1 }, { id: 'a', durationDays: 1.5 }, { id: 'a' }, { id: 'a', plannedStart: '2025-01-10', dueDate: '2025-01-01' }]) {
      expect(criticalPath({ items: [item], dependencies: [] })).toMatchObject({ error: { code: 'invalid_duration', milestoneId: 'a' } });
    }
  });

  it('gives the same answer whatever order the dependencies come in', () => {
    const items = ['A', 'B', 'C', 'D'].map((id) => ({ id, durationDays: 2 }));
    const dependencies = [fs('B', 'A'), fs('C', 'A'), fs('D', 'B'), fs('D', 'C')];
    const forward = criticalPath({ items, dependencies });
    const backward = criticalPath({ items, dependencies: [...dependencies].reverse() });
    expect(backward).toEqual(forward);
    expect(forward.ok && forward.value.criticalPath).toEqual(['A', 'B', 'C', 'D']);
  });

  it('schedules a 10,000-milestone chain', () => {
    const n = 10_000;
    const items = Array.from({ length: n }, (_, i) => ({ id: `m${i}`, durationDays: 1 }));
    const dependencies = Array.from({ length: n - 1 }, (_, i) => fs(`m${i + 1}`, `m${i}`));
    const result = criticalPath({ items, dependencies: dependencies.reverse() });
    expect(result.ok && result.value.projectDuration).toBe(n);
    expect(result.ok && result.value.criticalPath).toHaveLength(n);
    expect(result.ok && result.value.criticalPath.slice(0, 3)).toEqual(['m0', 'm1', 'm2']);
  });
});
