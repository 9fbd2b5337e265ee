import { describe, expect, it } from 'vitest';
import { compileMapping, previewMapping } from '../../mappings/index.ts';
import type { MappingSpecInput } from '../../mappings/index.ts';

const spec: MappingSpecInput = {
  connectionId: 'c1',
  name: 'preview',
  hubObject: 'milestone',
  remoteObject: 'issue',
  direction: 'both',
  // A comparison with a missing field is false in JSONata, hence $not(... = ...) rather than !=.
  filter: '$direction = "in" or $not(status = "cancelled")',
  fields: [
    { hub: 'title', remote: 'fields.summary', required: true },
    { hub: 'description', remote: 'fields.description' },
    { hub: 'dueDate', remote: 'fields.duedate' },
    { hub: 'priority', remote: 'fields.priority.name', valueMap: { low: 'Low', high: 'High' } },
    { hub: 'payment.amount', remote: 'Amount', toRemote: '$value / 100', toHub: '$round($value * 100)' },
  ],
};
const compiled = compileMapping(spec);

describe('previewMapping', () => {
  it('shows output and a diff of mapped fields only against the current target', async () => {
    const current = {
      key: 'PAY-7',
      fields: { summary: 'Old title', description: 'keep me?', duedate: '2025-01-01', priority: { name: 'Low' }, reporter: { name: 'not mapped' } },
    };
    const { results } = await previewMapping(compiled, {
      direction: 'out',
      records: [{ title: 'New title', description: null, priority: 'high', payment: { amount: 150_000 }, dueDate: '2025-01-01' }],
      current: [current],
    });
    expect(results).toHaveLength(1);
    expect(results[0]?.errors).toEqual([]);
    expect(results[0]?.diff).toEqual([
      { path: 'fields.summary', op: 'replace', from: 'Old title', to: 'New title' },
      { path: 'fields.description', op: 'remove', from: 'keep me?' },
      { path: 'fields.priority.name', op: 'replace', from: 'Low', to: 'High' },
      { path: 'Amount', op: 'add', to: 1500 },
    ]);
    expect(current.fields.summary).toBe('Old title');
  });

  it('diffs inbound against the current hub record', async () => {
    const { results } = await previewMapping(compiled, {
      direction: 'in',
      records: [{ fields: { summary: 'Same', priority: { name: 'High' } }, Amount: 99.99 }],
      current: [{ title: 'Same', priority: 'low', payment: { amount: 9_999 } }],
    });
    expect(results[0]?.output).toEqual({ title: 'Same', priority: 'high', payment: { amount: 9_999 } });
    expect(results[0]?.diff).toEqual([{ path: 'priority', op: 'replace', from: 'low', to: 'high' }]);
  });

  it('treats a record with no current target as all additions, and omits diff without current', async () => {
    const withCurrent = await previewMapping(compiled, { direction: 'out', records: [{ title: 'A' }], current: [undefined] });
    expect(withCurrent.results[0]?.diff).toEqual([{ path: 'fields.summary', op: 'add', to: 'A' }]);
    const without = await previewMapping(compiled, { direction: 'out', records: [{ title: 'A' }] });
    expect(without.results[0]).not.toHaveProperty('diff');
  });

  it('reports skipped and failing records alongside the good ones', async () => {
    const { results } = await previewMapping(compiled, {
      direction: 'out',
      records: [{ title: 'ok' }, { title: 'gone', status: 'cancelled' }, { description: 'no title' }],
      current: [{}, {}, {}],
    });
    expect(results.map((r) => [r.skipped, r.errors.map((e) => e.code)])).toEqual([
      [false, []],
      [true, []],
      [false, ['required_missing']],
    ]);
    expect(results[2]?.diff).toEqual([{ path: 'fields.description', op: 'add', to: 'no title' }]);
  });
});
