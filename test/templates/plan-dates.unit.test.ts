import { describe, expect, it } from 'vitest';
import { complexityLevels, getRegion, getTemplate, listRegions, listTemplates, planFromTemplate, validateTemplate } from '../../core/templates/index.ts';
import type { PlannedItem, PlannedMilestone, Template } from '../../core/templates/index.ts';
import { templateFixture } from './template-fixture.ts';

function fixture(change: Parameters<typeof templateFixture>[0] = () => {}): Template {
  const result = validateTemplate(templateFixture(change));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.template;
}

function dates(rows: readonly PlannedItem[]): Record<string, [string, string]> {
  return Object.fromEntries(rows.filter((row) => row.kind !== 'phase').map((row) => [row.key, [row.plannedStart, row.dueDate]]));
}

function work(rows: readonly PlannedItem[]): PlannedMilestone[] {
  return rows.filter((row): row is PlannedMilestone => row.kind !== 'phase');
}

// 13 August 2025 is a Wednesday; 15 August (Independence Day) is a Friday.
const independenceWeek = { startDate: '2025-08-13', contractValue: 100 };

describe('working-day dates', () => {
  it('skips a holiday and the Saturday–Sunday weekend', () => {
    const plan = planFromTemplate({ template: fixture(), ...independenceWeek, calendar: { weekend: 'sat-sun', holidays: ['2025-08-15'] } });
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    expect(dates(plan.milestones)).toEqual({
      a: ['2025-08-13', '2025-08-13'],
      b: ['2025-08-14', '2025-08-14'],
      c: ['2025-08-18', '2025-08-18'],
    });
  });

  it('works Saturdays with a Sunday-only weekend', () => {
    const plan = planFromTemplate({ template: fixture(), ...independenceWeek, calendar: { weekend: 'sun', holidays: ['2025-08-15'] } });
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    expect(dates(plan.milestones)).toEqual({
      a: ['2025-08-13', '2025-08-13'],
      b: ['2025-08-14', '2025-08-14'],
      c: ['2025-08-16', '2025-08-16'],
    });
  });

  it('counts durations and lags in working days and starts on the first working day', () => {
    const template = fixture((t) => {
      const [a, b] = t.phases[0]?.milestones ?? [];
      if (a === undefined || b === undefined) return;
      a.durationDays = 5;
      b.dependsOn = [{ key: 'a', type: 'finish-to-start', lagDays: 2 }];
    });
    // Saturday start: work begins Monday 18 Aug; 5 working days end Friday 22; 2 days' lag → Wednesday 27.
    const plan = planFromTemplate({ template, startDate: '2025-08-16', contractValue: 100, calendar: { holidays: [] } });
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    expect(dates(plan.milestones)).toMatchObject({ a: ['2025-08-18', '2025-08-22'], b: ['2025-08-27', '2025-08-27'] });
  });

  it('starts a start-to-start successor on its predecessor’s start plus lag', () => {
    const template = fixture((t) => {
      const [a, b] = t.phases[0]?.milestones ?? [];
      if (a === undefined || b === undefined) return;
      a.durationDays = 10;
      b.dependsOn = [{ key: 'a', type: 'start-to-start', lagDays: 3 }];
    });
    const plan = planFromTemplate({ template, startDate: '2025-08-18', contractValue: 100 });
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    expect(dates(plan.milestones)).toMatchObject({ a: ['2025-08-18', '2025-08-29'], b: ['2025-08-21', '2025-08-21'] });
  });

  it('keeps sub-milestones inside their parent', () => {
    const template = fixture((t) => {
      const b = t.phases[0]?.milestones[1];
      if (b === undefined) return;
      b.subMilestones = [{ key: 'b-check', title: 'Check', durationDays: 4 }];
    });
    const plan = planFromTemplate({ template, startDate: '2025-08-18', contractValue: 100 });
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    // b itself takes one day but waits for its four-day sub-milestone before it is due.
    expect(dates(plan.milestones)).toMatchObject({ b: ['2025-08-19', '2025-08-22'], 'b-check': ['2025-08-19', '2025-08-22'], c: ['2025-08-25', '2025-08-25'] });
    const sub = work(plan.milestones).find((row) => row.key === 'b-check');
    expect(sub).toMatchObject({ kind: 'sub-milestone', parentKey: 'b', type: 'deliverable', category: 'work' });
  });

  it('dates each phase from its first start to its last due date', () => {
    const plan = planFromTemplate({ template: fixture(), startDate: '2025-08-18', contractValue: 100 });
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    expect(plan.milestones[0]).toMatchObject({ kind: 'phase', key: 'only', plannedStart: '2025-08-18', dueDate: '2025-08-20' });
  });

  it.each([
    [{ startDate: '2025-02-30' }, 'startDate'],
    [{ startDate: '1/4/2025' }, 'startDate'],
    [{ calendar: { holidays: ['2025-13-01'] } }, 'calendar.holidays[0]'],
    [{ calendar: { weekend: 'fri' as never } }, 'calendar.weekend'],
  ])('rejects bad dates and calendars (%o)', (change, path) => {
    const plan = planFromTemplate({ template: fixture(), startDate: '2025-08-18', contractValue: 100, ...change });
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.errors).toEqual([expect.objectContaining({ code: 'invalid-option', path })]);
  });
});

describe('dependency order in every shipped plan', () => {
  const cases = listTemplates().flatMap((summary) => complexityLevels.map((complexity) => [summary.id, complexity] as const));

  it.each(cases)('%s at %s complexity, with and without each region', (id, complexity) => {
    const template = getTemplate(id);
    if (template === undefined) throw new Error(id);
    for (const region of [undefined, ...listRegions().map((summary) => getRegion(summary.code))]) {
      const plan = planFromTemplate({ template, region, complexity, scale: 3, startDate: '2025-04-01', contractValue: 12_34_567, calendar: { weekend: 'sun', holidays: ['2025-04-14', '2025-08-15', '2025-10-02'] } });
      if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
      const rows = work(plan.milestones);
      const seen = new Map<string, PlannedMilestone>();
      const seenPhases = new Set<string>();
      for (const row of plan.milestones) {
        if (row.kind === 'phase') {
          seenPhases.add(row.key);
          continue;
        }
        for (const dep of row.dependencies) {
          const before = seen.get(dep.onKey);
          // Topological: every predecessor is listed earlier.
          expect(before, `${row.key} after ${dep.onKey}`).toBeDefined();
          if (before === undefined) continue;
          if (dep.type === 'finish-to-start') expect(row.plannedStart > before.dueDate, `${row.key} starts after ${dep.onKey} is due`).toBe(true);
          else expect(row.plannedStart >= before.plannedStart).toBe(true);
        }
        if (row.kind === 'sub-milestone') {
          const parent = seen.get(row.parentKey);
          expect(parent).toBeDefined();
          expect(row.plannedStart >= (parent?.plannedStart ?? '')).toBe(true);
          expect(row.dueDate <= (parent?.dueDate ?? '')).toBe(true);
        } else {
          expect(seenPhases.has(row.parentKey)).toBe(true);
        }
        expect(row.plannedStart <= row.dueDate).toBe(true);
        for (const day of [row.plannedStart, row.dueDate]) {
          expect(new Date(`${day}T00:00:00Z`).getUTCDay(), `${row.key} on ${day}`).not.toBe(0);
          expect(['2025-04-14', '2025-08-15', '2025-10-02']).not.toContain(day);
        }
        seen.set(row.key, row);
      }
      expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
    }
  });

  it('is deterministic', () => {
    const template = getTemplate('construction-residential-building');
    if (template === undefined) throw new Error('missing');
    const options = { template, region: getRegion('IN-KA'), scale: 5, startDate: '2025-04-01', contractValue: 5_00_00_000_00 };
    expect(planFromTemplate(options)).toEqual(planFromTemplate(options));
  });
});
