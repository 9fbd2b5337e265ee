import { describe, expect, it } from 'vitest';
import { getTemplate, listTemplates, planFromTemplate, validateTemplate } from '../../core/templates/index.ts';
import type { PlannedItem, PlannedMilestone, Template } from '../../core/templates/index.ts';
import { templateFixture } from './template-fixture.ts';

// 1 paisa; ₹99,999.99; ₹1,00,00,000.01; and ₹1,00,00,00,000.01, large enough that value × bp leaves the safe-integer range.
const awkwardValues = [1, 99_99_999, 1_00_00_00_001, 1_00_00_00_00_001];

function payments(rows: readonly PlannedItem[]): PlannedMilestone[] {
  return rows.filter((row): row is PlannedMilestone => row.kind !== 'phase' && row.payment !== undefined);
}

function sum(rows: readonly PlannedMilestone[]): number {
  return rows.reduce((total, row) => total + (row.payment?.amount ?? 0), 0);
}

function mustGet(id: string): Template {
  const template = getTemplate(id);
  if (template === undefined) throw new Error(`missing shipped template ${id}`);
  return template;
}

describe('payment amounts', () => {
  const cases = listTemplates().flatMap((summary) => awkwardValues.map((value) => [summary.id, value] as const));

  it.each(cases)('%s sums to exactly %i paise', (id, contractValue) => {
    for (const scale of [1, 7]) {
      const plan = planFromTemplate({ template: mustGet(id), scale, startDate: '2025-04-01', contractValue });
      expect(plan.ok).toBe(true);
      if (!plan.ok) return;
      const paid = payments(plan.milestones);
      expect(sum(paid)).toBe(contractValue);
      for (const row of paid) {
        expect(Number.isSafeInteger(row.payment?.amount)).toBe(true);
        expect(row.payment?.amount).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('gives each milestone floor(value × bp / 10000) and the remainder to the last payment milestone', () => {
    const template = mustGet('construction-residential-building');
    const contractValue = 99_99_999;
    const plan = planFromTemplate({ template, startDate: '2025-04-01', contractValue });
    if (!plan.ok) throw new Error('plan failed');
    const paid = payments(plan.milestones);
    const last = paid[paid.length - 1];
    expect(last?.key).toBe('retention-release');
    // 1000 bp of 99,99,999 is 9,99,999.9 → 9,99,999; 500 bp is 4,99,999.95 → 4,99,999.
    expect(paid.find((row) => row.key === 'mobilisation-advance')?.payment?.amount).toBe(9_99_999);
    const floors = paid.slice(0, -1).reduce((total, row) => total + (row.payment?.amount ?? 0), 0);
    expect(last?.payment?.amount).toBe(contractValue - floors);
    expect(last?.payment?.amount).toBeGreaterThan(4_99_999);
  });

  it('puts a 1 paisa contract entirely on the last payment milestone', () => {
    const plan = planFromTemplate({ template: mustGet('it-services-software-delivery'), scale: 3, startDate: '2025-04-01', contractValue: 1 });
    if (!plan.ok) throw new Error('plan failed');
    const amounts = payments(plan.milestones).map((row) => row.payment?.amount);
    expect(amounts.slice(0, -1).every((amount) => amount === 0)).toBe(true);
    expect(amounts[amounts.length - 1]).toBe(1);
  });

  it('splits a repeated milestone’s share across its repetitions, remainder on the last repetition', () => {
    // sprint-demo carries 5000 bp; 3 sprints of 50% of 1,00,001 paise = 50,000 → 16,666 + 16,666 + 16,668.
    const plan = planFromTemplate({ template: mustGet('it-services-software-delivery'), scale: 3, startDate: '2025-04-01', contractValue: 1_00_001 });
    if (!plan.ok) throw new Error('plan failed');
    const demos = payments(plan.milestones).filter((row) => row.sourceKey === 'sprint-demo');
    expect(demos.map((row) => [row.key, row.payment?.amount])).toEqual([
      ['sprint-demo:1', 16_666],
      ['sprint-demo:2', 16_666],
      ['sprint-demo:3', 16_668],
    ]);
  });

  it('carries the GST rate and HSN/SAC code of each payment, with milestone overrides', () => {
    const plan = planFromTemplate({ template: mustGet('healthcare-diagnostic-centre-setup'), startDate: '2025-04-01', contractValue: 10_00_000_00 });
    if (!plan.ok) throw new Error('plan failed');
    const byKey = new Map(payments(plan.milestones).map((row) => [row.key, row.payment]));
    expect(byKey.get('equipment-delivery')).toEqual({ amount: 3_50_000_00, gstRate: 5, hsnSac: '9018' });
    expect(byKey.get('room-installation:1')).toEqual({ amount: 1_50_000_00, gstRate: 18, hsnSac: '998735' });
    expect(byKey.get('design-advance')).toEqual({ amount: 1_00_000_00, gstRate: 18, hsnSac: '995415' });
  });

  it('pays sub-milestones too and still sums exactly', () => {
    const input = templateFixture((template) => {
      const c = template.phases[0]?.milestones[2];
      if (c === undefined) return;
      c.paymentBasisPoints = 3333;
      c.subMilestones = [{ key: 'c-part', title: 'C part', durationDays: 1, paymentBasisPoints: 6667, hsnSac: '995454' }];
    });
    const validated = validateTemplate(input);
    if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
    const plan = planFromTemplate({ template: validated.template, startDate: '2025-04-01', contractValue: 7 });
    if (!plan.ok) throw new Error('plan failed');
    const paid = payments(plan.milestones);
    expect(paid.map((row) => [row.key, row.payment?.amount, row.payment?.hsnSac])).toEqual([
      ['c', 2, '995411'],
      ['c-part', 5, '995454'],
    ]);
  });

  it('stays exact at the largest safe contract value, where value × bp needs BigInt', () => {
    const contractValue = Number.MAX_SAFE_INTEGER;
    const plan = planFromTemplate({ template: mustGet('construction-residential-building'), scale: 3, startDate: '2025-04-01', contractValue });
    if (!plan.ok) throw new Error('plan failed');
    const paid = payments(plan.milestones);
    expect(sum(paid)).toBe(contractValue);
    const advance = paid.find((row) => row.key === 'mobilisation-advance')?.payment?.amount;
    expect(advance).toBe(Number((BigInt(contractValue) * 1000n) / 10_000n));
  });

  it.each([0, -100, 1.5, Number.MAX_SAFE_INTEGER + 2, Number.NaN])('rejects contract value %s', (contractValue) => {
    const plan = planFromTemplate({ template: mustGet('retail-store-rollout'), startDate: '2025-04-01', contractValue });
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.errors).toEqual([expect.objectContaining({ code: 'invalid-option', path: 'contractValue' })]);
  });
});
