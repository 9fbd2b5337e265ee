import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../mappings/index.ts';
import type { FieldMapping, MappingSpecInput, ObjectSchema } from '../../mappings/index.ts';

function spec(fields: FieldMapping[], extra: Partial<MappingSpecInput> = {}): MappingSpecInput {
  return { connectionId: 'c1', name: 'test', hubObject: 'milestone', remoteObject: 'issue', direction: 'both', fields, ...extra };
}

const milestone = {
  id: 'm1',
  title: 'Design sign-off',
  status: 'in_progress',
  dueDate: '2025-03-31',
  tags: ['design', 'phase-1'],
  payment: { amount: 2_500_000, gstRate: 18 },
  owners: [{ name: 'Asha', email: 'asha@example.in' }],
};

describe('compileMapping: plain paths and value maps', () => {
  const compiled = compileMapping(spec([
    { hub: 'title', remote: 'fields.summary' },
    { hub: 'dueDate', remote: 'fields.duedate' },
    { hub: 'owners[0].email', remote: 'fields.assignee.emailAddress' },
    { hub: 'tags[1]', remote: 'fields.labels[0]' },
    { hub: 'status', remote: 'fields.status.name', valueMap: { planned: 'To Do', in_progress: 'In Progress', paid: 'Done' } },
    { hub: 'description', remote: 'fields.description' },
  ]));

  it('maps hub → remote, building nested objects and arrays', async () => {
    const result = await compiled.toRemote(milestone);
    expect(result).toEqual({
      output: {
        fields: {
          summary: 'Design sign-off',
          duedate: '2025-03-31',
          assignee: { emailAddress: 'asha@example.in' },
          labels: ['phase-1'],
          status: { name: 'In Progress' },
        },
      },
      errors: [],
      skipped: false,
    });
  });

  it('maps remote → hub, reversing the value map', async () => {
    const result = await compiled.toHub({ key: 'PAY-1', fields: { summary: 'S', status: { name: 'Done' }, labels: ['x'], description: null } });
    expect(result.output).toEqual({ title: 'S', status: 'paid', tags: [undefined, 'x'], description: null });
    expect(result.errors).toEqual([]);
  });

  it('passes null through (a cleared field) and leaves absent fields out', async () => {
    const result = await compiled.toRemote({ title: null, status: null });
    expect(result.output).toEqual({ fields: { summary: null, status: { name: null } } });
  });

  it('leaves a value with no valueMap entry out of the output', async () => {
    const result = await compiled.toRemote({ title: 'T', status: 'on_hold' });
    expect(result).toEqual({ output: { fields: { summary: 'T' } }, errors: [], skipped: false });
  });

  it('returns the hub type from a reversed value map when given the hub schema', async () => {
    const hubSchema: ObjectSchema = { properties: { level: { type: 'integer' }, flag: { type: 'boolean' } } };
    const fields: FieldMapping[] = [
      { hub: 'level', remote: 'severity', valueMap: { 1: 'Low', 2: 'High' } },
      { hub: 'flag', remote: 'state', valueMap: { true: 'On', false: 'Off' } },
    ];
    const typed = compileMapping(spec(fields), { hubSchema });
    expect((await typed.toHub({ severity: 'High', state: 'Off' })).output).toEqual({ level: 2, flag: false });
    expect((await typed.toRemote({ level: 1, flag: true })).output).toEqual({ severity: 'Low', state: 'On' });
    const untyped = compileMapping(spec(fields));
    expect((await untyped.toHub({ severity: 'High' })).output).toEqual({ level: '2' });
  });
});

describe('compileMapping: defaults and required fields', () => {
  const compiled = compileMapping(spec([
    { hub: 'title', remote: 'fields.summary', required: true },
    { hub: 'priority', remote: 'fields.priority.name', valueMap: { low: 'Low', medium: 'Medium' }, default: 'medium' },
    { hub: 'tags', remote: 'fields.labels', default: ['hub'] },
    { hub: 'status', remote: 'fields.status.name', valueMap: { planned: 'To Do' }, required: true },
  ]));

  it('uses the hub-side default for a missing hub value, before the value map', async () => {
    const result = await compiled.toRemote({ title: 'T', status: 'planned' });
    expect(result.output).toEqual({ fields: { summary: 'T', priority: { name: 'Medium' }, labels: ['hub'], status: { name: 'To Do' } } });
  });

  it('uses the default for a missing inbound result, after the reverse map', async () => {
    const result = await compiled.toHub({ fields: { summary: 'T', priority: { name: 'Critical' }, status: { name: 'To Do' } } });
    expect(result.output).toEqual({ title: 'T', priority: 'medium', tags: ['hub'], status: 'planned' });
  });

  it('gives each record its own copy of an object default', async () => {
    const a = await compiled.toRemote({ title: 'a', status: 'planned' });
    const b = await compiled.toRemote({ title: 'b', status: 'planned' });
    const labels = (r: typeof a) => (r.output?.fields as { labels: string[] }).labels;
    labels(a).push('changed');
    expect(labels(b)).toEqual(['hub']);
  });

  it('reports each missing required value per field, without throwing', async () => {
    const result = await compiled.toRemote({ title: null, status: 'on_hold' });
    expect(result.errors).toEqual([
      { path: 'fields[0]', code: 'required_missing', message: 'title ↔ fields.summary: no value and the field is required' },
      { path: 'fields[3]', code: 'required_missing', message: 'status ↔ fields.status.name: no valueMap entry for "on_hold" and the field is required' },
    ]);
    expect(result.output).toEqual({ fields: { priority: { name: 'Medium' }, labels: ['hub'] } });
  });

  it('reports a missing required value inbound', async () => {
    const result = await compiled.toHub({ fields: { status: { name: 'Closed' } } });
    expect(result.errors.map((e) => [e.path, e.code])).toEqual([['fields[0]', 'required_missing'], ['fields[3]', 'required_missing']]);
    expect(result.errors[1]?.message).toMatch(/no valueMap entry maps to "Closed"/);
  });
});

describe('compileMapping: expressions', () => {
  const compiled = compileMapping(spec([
    { hub: 'title', remote: 'fields.summary', toRemote: '$uppercase($value) & " (" & status & ")"', toHub: '$substringBefore($value, " (")' },
    { hub: 'payment.amount', remote: 'Amount', toRemote: '$value / 100', toHub: '$round($value * 100)' },
    { hub: 'tags', remote: 'fields.labels', toRemote: '$value.{ "name": $ }', toHub: '$value.name[]' },
    { hub: 'dueDate', remote: 'fields.duedate' },
  ]));

  it('binds $value to the field and the record as input', async () => {
    const result = await compiled.toRemote(milestone);
    expect(result.errors).toEqual([]);
    expect(result.output).toEqual({
      fields: { summary: 'DESIGN SIGN-OFF (in_progress)', labels: [{ name: 'design' }, { name: 'phase-1' }], duedate: '2025-03-31' },
      Amount: 25000,
    });
  });

  it('returns plain JSON, not JSONata sequences or prototype-less objects', async () => {
    const result = await compiled.toRemote(milestone);
    const labels = (result.output?.fields as { labels: Array<Record<string, unknown>> }).labels;
    expect(Object.getPrototypeOf(labels[0])).toBe(Object.prototype);
    expect(Object.keys(labels)).toEqual(['0', '1']);
    expect(JSON.stringify(result.output)).toBe(JSON.stringify(structuredClone(result.output)));
  });

  it('maps back through toHub', async () => {
    const result = await compiled.toHub({ fields: { summary: 'DESIGN (x)', labels: [{ name: 'only' }] }, Amount: 1234.56 });
    expect(result.output).toEqual({ title: 'DESIGN', payment: { amount: 123456 }, tags: ['only'] });
  });

  it('reports a failing expression for that field only, in field order', async () => {
    const result = await compiled.toRemote({ title: 'x', payment: { amount: 'lots' }, dueDate: '2025-01-01' });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ path: 'fields[1].toRemote', code: 'expression_failed', token: '/' });
    expect(result.errors[0]?.message).toMatch(/^payment.amount ↔ Amount: JSONata T2001/);
    expect(result.output).toEqual({ fields: { summary: 'X ()', duedate: '2025-01-01' } });
  });

  it('leaves out a field whose expression yields nothing', async () => {
    const result = await compiled.toRemote({ dueDate: '2025-01-01' });
    expect(result.output).toEqual({ fields: { summary: ' ()', duedate: '2025-01-01' } });
  });
});

describe('compileMapping: filter, direction and input checks', () => {
  it('skips records the filter rejects, and tells the filter the direction', async () => {
    const compiled = compileMapping(spec([{ hub: 'title', remote: 'Name' }], { filter: '$direction = "in" or payment.amount > 0' }));
    expect(await compiled.toRemote({ title: 'free' })).toEqual({ output: undefined, errors: [], skipped: true });
    expect((await compiled.toRemote({ title: 'paid', payment: { amount: 1 } })).output).toEqual({ Name: 'paid' });
    expect((await compiled.toHub({ Name: 'any' })).output).toEqual({ title: 'any' });
  });

  it('reads a non-boolean filter result with JSONata truthiness', async () => {
    const compiled = compileMapping(spec([{ hub: 'title', remote: 'Name' }], { filter: 'tags' }));
    expect((await compiled.toRemote({ title: 'a', tags: [] })).skipped).toBe(true);
    expect((await compiled.toRemote({ title: 'a', tags: ['x'] })).skipped).toBe(false);
  });

  it('reports a filter that fails at run time', async () => {
    const compiled = compileMapping(spec([{ hub: 'title', remote: 'Name' }], { filter: 'title + 1 > 0' }));
    const result = await compiled.toRemote({ title: 'abc' });
    expect(result).toMatchObject({ output: undefined, skipped: false, errors: [{ path: 'filter', code: 'filter_failed', position: 7 }] });
  });

  it('answers a call against the spec direction with an error value', async () => {
    const out = compileMapping(spec([{ hub: 'title', remote: 'Name' }], { direction: 'out' }));
    expect(await out.toHub({ Name: 'x' })).toMatchObject({ output: undefined, errors: [{ code: 'not_applicable', path: 'direction' }] });
    const inbound = compileMapping(spec([{ hub: 'title', remote: 'Name' }], { direction: 'in' }));
    expect(await inbound.toRemote({ title: 'x' })).toMatchObject({ errors: [{ code: 'not_applicable' }] });
  });

  it('refuses input that is not a record', async () => {
    const compiled = compileMapping(spec([{ hub: 'title', remote: 'Name' }]));
    for (const input of [null, [], 'text', 3]) {
      expect(await compiled.toRemote(input)).toMatchObject({ output: undefined, errors: [{ code: 'invalid_record' }] });
    }
  });

  it('does not read inherited properties', async () => {
    const compiled = compileMapping(spec([{ hub: 'toString', remote: 'Name' }, { hub: 'title.constructorName', remote: 'Other' }]));
    expect((await compiled.toRemote({ title: 'x' })).output).toEqual({});
  });

  it('throws for a spec that fails the schema-free checks, since that is a caller bug', () => {
    expect(() => compileMapping(spec([{ hub: 'title', remote: 'Name', toRemote: '$value(' }]))).toThrow(TypeError);
    expect(() => compileMapping(spec([{ hub: 'title', remote: 'Name', toRemote: '$value' }]))).toThrow(/not_invertible|toHub/);
    expect(() => compileMapping({ name: 'x' } as unknown as MappingSpecInput)).toThrow();
  });

  it('fingerprints the spec content', () => {
    const a = compileMapping(spec([{ hub: 'title', remote: 'Name' }]));
    const b = compileMapping({ fields: [{ remote: 'Name', hub: 'title' }], direction: 'both', remoteObject: 'issue', hubObject: 'milestone', name: 'test', connectionId: 'c1' });
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).toBe(b.hash);
  });

});
