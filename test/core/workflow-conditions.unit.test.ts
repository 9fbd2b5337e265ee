import { describe, expect, it } from 'vitest';
import { compileSafePattern, conditionSchema, evaluateCondition } from '../../core/workflow/index.ts';
import type { Condition } from '../../core/workflow/index.ts';

async function passes(condition: Condition, facts: Record<string, unknown>): Promise<boolean> {
  const result = await evaluateCondition(condition, facts);
  if (!result.ok) throw new Error(result.error.message);
  return result.value.passed;
}

describe('evaluateCondition', () => {
  it('compares dates and date-times as instants', async () => {
    const due = (operator: 'before' | 'after' | 'onOrBefore' | 'onOrAfter', value: string): Condition => ({
      all: [{ fact: 'dueDate', operator, value }],
    });
    expect(await passes(due('before', '2025-04-01'), { dueDate: '2025-03-31' })).toBe(true);
    expect(await passes(due('before', '2025-04-01'), { dueDate: '2025-04-01' })).toBe(false);
    expect(await passes(due('onOrBefore', '2025-04-01'), { dueDate: '2025-04-01' })).toBe(true);
    expect(await passes(due('after', '2025-04-01'), { dueDate: '2025-04-01T10:00:00+05:30' })).toBe(true);
    expect(await passes(due('onOrAfter', '2025-04-02'), { dueDate: new Date('2025-04-02T00:00:00Z') })).toBe(true);
    // Loose strings are not dates, so nothing compares true.
    expect(await passes(due('before', '2025-04-01'), { dueDate: 'March 5' })).toBe(false);
    expect(await passes(due('after', '2025-04-01'), {})).toBe(false);
  });

  it('compares two facts', async () => {
    const overdue: Condition = { all: [{ fact: 'dueDate', operator: 'before', value: { fact: 'today' } }] };
    expect(await passes(overdue, { dueDate: '2025-01-01', today: '2025-01-02' })).toBe(true);
    expect(await passes(overdue, { dueDate: '2025-01-03', today: '2025-01-02' })).toBe(false);
  });

  it('matches tags and regular expressions', async () => {
    expect(await passes({ any: [{ fact: 'tags', operator: 'contains', value: 'govt' }] }, { tags: ['govt', 'civil'] })).toBe(true);
    expect(await passes({ any: [{ fact: 'tags', operator: 'contains', value: 'govt' }] }, { tags: 'govt' })).toBe(false);
    const po: Condition = { all: [{ fact: 'poNumber', operator: 'matches', value: '^PO-[0-9]{6}$' }] };
    expect(await passes(po, { poNumber: 'PO-123456' })).toBe(true);
    expect(await passes(po, { poNumber: 'PO-12345' })).toBe(false);
    expect(await passes(po, { poNumber: 123456 })).toBe(false);
  });

  it('reads nested facts by plain dotted path only', async () => {
    const inKarnataka: Condition = { all: [{ fact: 'site', path: '$.address.stateCode', operator: 'equal', value: '29' }] };
    expect(await passes(inKarnataka, { site: { address: { stateCode: '29' } } })).toBe(true);
    expect(await passes(inKarnataka, { site: {} })).toBe(false);
    expect(conditionSchema.safeParse({ all: [{ fact: 'site', path: '$..[?(@.x)]', operator: 'equal', value: 1 }] }).success).toBe(false);
  });

  it('blames the comparisons that made a nested condition fail', async () => {
    const condition: Condition = {
      all: [
        { fact: 'amount', operator: 'greaterThan', value: 0 },
        { any: [{ fact: 'approved', operator: 'equal', value: true }, { fact: 'amount', operator: 'lessThan', value: 100 }] },
        { not: { fact: 'tags', operator: 'contains', value: 'frozen' } },
      ],
    };
    const result = await evaluateCondition(condition, { amount: 500, approved: false, tags: ['frozen'] });
    expect(result.ok && result.value.passed).toBe(false);
    expect(result.ok && result.value.failed.map((f) => [f.fact, f.operator, f.negated])).toEqual([
      ['approved', 'equal', false],
      ['amount', 'lessThan', false],
      ['tags', 'contains', true],
    ]);
  });

  it('ignores function-valued facts rather than calling them', async () => {
    let called = false;
    const facts = { percentComplete: () => ((called = true), 100) };
    expect(await passes({ all: [{ fact: 'percentComplete', operator: 'equal', value: 100 }] }, facts)).toBe(false);
    expect(called).toBe(false);
  });
});

describe('conditionSchema', () => {
  it('accepts the documented guard format', () => {
    expect(conditionSchema.safeParse({ all: [{ fact: 'percentComplete', operator: 'greaterThanInclusive', value: 100 }] }).success).toBe(true);
  });

  it('refuses unknown operators, leaves at the top, missing values and oversized conditions', () => {
    expect(conditionSchema.safeParse({ all: [{ fact: 'a', operator: 'regex', value: 1 }] }).success).toBe(false);
    expect(conditionSchema.safeParse({ fact: 'a', operator: 'equal', value: 1 }).success).toBe(false);
    expect(conditionSchema.safeParse({ all: [{ fact: 'a', operator: 'equal' }] }).success).toBe(false);
    expect(conditionSchema.safeParse({ all: [{ fact: 'a', operator: 'equal', value: null }] }).success).toBe(true);
    const wide = { any: Array.from({ length: 101 }, (_, i) => ({ fact: `f${i}`, operator: 'equal', value: i })) };
    expect(conditionSchema.safeParse(wide).success).toBe(false);
    let deep: unknown = { fact: 'a', operator: 'equal', value: 1 };
    for (let i = 0; i < 9; i++) deep = { not: deep };
    expect(conditionSchema.safeParse({ all: [deep] }).success).toBe(false);
  });
});

describe('compileSafePattern', () => {
  it.each(['^PO-[0-9]{6}$', '^[A-Z]{2}\\d+$', '^(GST|VAT)-\\d{4}$', '^(\\d{3})-(\\d{4})$', '[(+]+'])('accepts %s', (pattern) => {
    expect(compileSafePattern(pattern).ok).toBe(true);
  });

  it.each(['(a+)+$', '(a|aa)*b', '((ab)*c)+', '(\\w{2,})*x', '(a)\\1'])('refuses the backtracking-prone %s', (pattern) => {
    expect(compileSafePattern(pattern)).toMatchObject({ ok: false, error: { code: 'unsafe_pattern' } });
  });

  it('refuses invalid and overlong patterns', () => {
    expect(compileSafePattern('[a-')).toMatchObject({ ok: false, error: { code: 'invalid_pattern' } });
    expect(compileSafePattern('a'.repeat(201))).toMatchObject({ ok: false, error: { code: 'unsafe_pattern' } });
  });
});
