import { describe, expect, it } from 'vitest';
import { expandTemplate, getTemplate, MAX_EXPANDED_ITEMS, planFromTemplate, validateTemplate } from '../../core/templates/index.ts';
import type { PlannedItem, PlannedMilestone, Template } from '../../core/templates/index.ts';
import { templateFixture } from './template-fixture.ts';

function mustGet(id: string): Template {
  const template = getTemplate(id);
  if (template === undefined) throw new Error(`missing shipped template ${id}`);
  return template;
}

function work(rows: readonly PlannedItem[]): PlannedMilestone[] {
  return rows.filter((row): row is PlannedMilestone => row.kind !== 'phase');
}

// a → b (repeatable, one per unit) → c, so scale n gives exactly n + 2 milestones.
function repeatingFixture(): Template {
  const result = validateTemplate(
    templateFixture((t) => {
      t.scaleUnit = 'unit';
      const b = t.phases[0]?.milestones[1];
      const c = t.phases[0]?.milestones[2];
      if (b === undefined || c === undefined) return;
      b.repeatable = true;
      b.paymentBasisPoints = 9000;
      c.paymentBasisPoints = 1000;
    }),
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.template;
}

describe('scale', () => {
  it('repeats a phase per floor with suffixed keys and titles, chaining floors', () => {
    const plan = planFromTemplate({ template: mustGet('construction-residential-building'), scale: 4, startDate: '2025-04-01', contractValue: 1_00_00_000_00 });
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    const rows = new Map(work(plan.milestones).map((row) => [row.key, row]));
    expect(rows.get('slab:3')).toMatchObject({ title: 'Beams and slab cast — floor 3', sourceKey: 'slab', repetition: 3, parentKey: 'superstructure:3' });
    expect(plan.milestones.find((row) => row.key === 'superstructure:3')?.title).toBe('Superstructure — floor 3');
    expect(rows.get('slab-shuttering-check:3')?.parentKey).toBe('slab:3');
    // Floor 3 columns wait for floor 2's slab plus five days of curing; floor 1 waits for the plinth.
    expect(rows.get('columns:3')?.dependencies).toContainEqual({ onKey: 'slab:2', type: 'finish-to-start', lagDays: 5 });
    expect(rows.get('columns:1')?.dependencies).toEqual([{ onKey: 'plinth', type: 'finish-to-start', lagDays: 0 }]);
    // Within a floor, dependencies stay on the same floor; after the floors, work waits for the top one.
    expect(rows.get('slab:3')?.dependencies).toEqual([{ onKey: 'columns:3', type: 'finish-to-start', lagDays: 0 }]);
    expect(rows.get('brickwork')?.dependencies).toEqual([{ onKey: 'slab:4', type: 'finish-to-start', lagDays: 0 }]);
  });

  it('chains start-to-start repetitions from their first milestones', () => {
    const plan = planFromTemplate({ template: mustGet('manufacturing-component-supply'), scale: 3, startDate: '2025-04-01', contractValue: 1_00_000_00 });
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    const rows = new Map(work(plan.milestones).map((row) => [row.key, row]));
    expect(rows.get('batch-release:2')?.dependencies).toContainEqual({ onKey: 'batch-release:1', type: 'start-to-start', lagDays: 8 });
    expect(rows.get('batch-dispatch:3')?.title).toBe('Batch dispatched with tax invoice and e-way bill — batch 3');
  });

  it('creates 10,000 milestones in one call and still sums exactly', () => {
    const template = repeatingFixture();
    const contractValue = 1_00_00_00_001;
    const plan = planFromTemplate({ template, scale: 9_998, startDate: '2025-04-01', contractValue });
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    const rows = work(plan.milestones);
    expect(rows).toHaveLength(10_000);
    expect(rows.reduce((total, row) => total + (row.payment?.amount ?? 0), 0)).toBe(contractValue);
    expect(rows[rows.length - 1]?.key).toBe('c');
    expect(rows.find((row) => row.key === 'b:10')?.dependencies).toEqual([
      { onKey: 'a', type: 'finish-to-start', lagDays: 0 },
      { onKey: 'b:9', type: 'finish-to-start', lagDays: 0 },
    ]);
    // One working day each, back to back: unit 9998 is the 9999th working day.
    const last = rows.find((row) => row.key === 'b:9998');
    expect(last?.plannedStart).toBe('2063-07-27');
  });

  it('scales shipped templates past 10,000 milestones with exact payments', () => {
    for (const id of ['it-services-software-delivery', 'construction-residential-building', 'logistics-warehousing-3pl']) {
      const contractValue = 99_99_99_999;
      const plan = planFromTemplate({ template: mustGet(id), scale: 5_000, startDate: '2025-04-01', contractValue });
      if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
      const rows = work(plan.milestones);
      expect(rows.length).toBeGreaterThanOrEqual(10_000);
      expect(rows.reduce((total, row) => total + (row.payment?.amount ?? 0), 0)).toBe(contractValue);
    }
  });

  it.each([0, -1, 2.5, Number.NaN])('rejects scale %s', (scale) => {
    const result = expandTemplate({ template: repeatingFixture(), scale });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([expect.objectContaining({ code: 'invalid-option', path: 'scale' })]);
  });

  it('refuses plans larger than the limit', () => {
    const result = expandTemplate({ template: repeatingFixture(), scale: MAX_EXPANDED_ITEMS });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.code).toBe('too-large');
  });

  it('refuses plans that would run past the year 9999', () => {
    const template = repeatingFixture();
    const long = { ...template, phases: template.phases.map((phase) => ({ ...phase, milestones: phase.milestones.map((m) => ({ ...m, durationDays: 3650 })) })) };
    const plan = planFromTemplate({ template: long, scale: 1_000, startDate: '2025-04-01', contractValue: 100 });
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.errors[0]?.code).toBe('date-out-of-range');
  });
});

describe('complexity', () => {
  const keysAt = (complexity: 'simple' | 'standard' | 'complex' | 'enterprise'): string[] => {
    const result = expandTemplate({ template: mustGet('it-services-software-delivery'), complexity });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.milestones.map((row) => row.key);
  };

  it('adds optional milestones as complexity rises', () => {
    const simple = keysAt('simple');
    const standard = keysAt('standard');
    const complex = keysAt('complex');
    const enterprise = keysAt('enterprise');
    expect(simple).not.toContain('solution-architecture');
    expect(standard).toContain('solution-architecture');
    expect(standard).not.toContain('performance-testing');
    expect(complex).toContain('performance-testing');
    expect(complex).not.toContain('security-audit');
    expect(enterprise).toContain('security-audit');
    expect(simple.length).toBeLessThan(standard.length);
    expect(standard.length).toBeLessThan(complex.length);
    expect(complex.length).toBeLessThan(enterprise.length);
  });

  it('defaults to the template’s own complexity', () => {
    expect(expandTemplate({ template: mustGet('it-services-software-delivery') })).toEqual(expandTemplate({ template: mustGet('it-services-software-delivery'), complexity: 'standard' }));
  });

  it('lets dependants of a dropped milestone inherit its dependencies', () => {
    const result = expandTemplate({ template: mustGet('construction-residential-building'), complexity: 'simple' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const rows = new Map(result.milestones.map((row) => [row.key, row]));
    expect(rows.has('soil-investigation')).toBe(false);
    // gfc-drawings waited for the soil report, which waited for the contract.
    expect(rows.get('gfc-drawings')?.dependencies).toEqual([{ onKey: 'contract-award', type: 'finish-to-start', lagDays: 0 }]);
    // foundation-cube-tests is dropped with its lag; nothing else depended on it.
    expect(rows.has('foundation-cube-tests')).toBe(false);
  });

  it('rejects an unknown complexity', () => {
    const result = expandTemplate({ template: mustGet('retail-store-rollout'), complexity: 'huge' as never });
    expect(result.ok).toBe(false);
  });
});
