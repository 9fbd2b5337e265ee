import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMapping, defaultHubSchemas, linkSnapshot, validateMapping } from '../../mappings/index.ts';
import type { FieldSchema, MappingSpecInput, ObjectSchema } from '../../mappings/index.ts';

// Generates values that fit a field schema, leaving any property out or null now and then.
function arbitraryFor(schema: FieldSchema): fc.Arbitrary<unknown> {
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string': return fc.string({ unit: 'binary', maxLength: 40 });
    case 'number': return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'integer': return fc.integer({ min: -1e12, max: 1e12 });
    case 'boolean': return fc.boolean();
    case 'date':
      return fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .chain((d) => fc.constantFrom(d.toISOString().slice(0, 10), d.toISOString()));
    case 'array': return fc.array(schema.items === undefined ? fc.jsonValue() : arbitraryFor(schema.items), { maxLength: 4 });
    case 'object':
      if (schema.properties === undefined) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      return recordFor(schema.properties);
  }
}

function recordFor(properties: ObjectSchema['properties']): fc.Arbitrary<Record<string, unknown>> {
  const model = Object.fromEntries(Object.entries(properties).map(([key, field]) => [key, fc.option(arbitraryFor(field), { nil: null, freq: 8 })]));
  return fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
}

const remote: ObjectSchema = {
  properties: {
    key: { type: 'string' },
    fields: {
      type: 'object',
      properties: {
        summary: { type: 'string' },
        description: { type: 'string' },
        duedate: { type: 'date' },
        start: { type: 'date' },
        labels: { type: 'array', items: { type: 'string' } },
        state: { type: 'string' },
        rank: { type: 'string', enum: ['P1', 'P2', 'P3', 'P4'] },
        done: { type: 'number' },
        owner: { type: 'object', properties: { mail: { type: 'string' } } },
        extra: { type: 'object' },
        billing: { type: 'object', properties: { gst: { type: 'number' }, terms: { type: 'integer' } } },
      },
    },
    Amount: { type: 'number' },
  },
};

const spec: MappingSpecInput = {
  connectionId: 'c1',
  name: 'round trip',
  hubObject: 'milestone',
  remoteObject: 'task',
  direction: 'both',
  fields: [
    { hub: 'title', remote: 'fields.summary' },
    { hub: 'description', remote: 'fields.description' },
    { hub: 'dueDate', remote: 'fields.duedate' },
    { hub: 'plannedStart', remote: 'fields.start' },
    { hub: 'tags', remote: 'fields.labels' },
    { hub: 'percentComplete', remote: 'fields.done' },
    { hub: 'owners[0].email', remote: 'fields.owner.mail' },
    { hub: 'customFields', remote: 'fields.extra' },
    { hub: 'payment.gstRate', remote: 'fields.billing.gst' },
    { hub: 'payment.dueInDays', remote: 'fields.billing.terms' },
    {
      hub: 'status',
      remote: 'fields.state',
      valueMap: {
        planned: 'To Do', in_progress: 'In Progress', on_hold: 'Blocked', submitted: 'In Review', verified: 'Accepted',
        disputed: 'Reopened', invoiced: 'Billed', paid: 'Closed', cancelled: "Won't Do",
      },
    },
    { hub: 'priority', remote: 'fields.rank', valueMap: { low: 'P4', medium: 'P3', high: 'P2', critical: 'P1' } },
    {
      hub: 'payment.amount',
      remote: 'Amount',
      toRemote: '$type($value) = "number" ? $value / 100 : $value',
      toHub: '$type($value) = "number" ? $round($value * 100) : $value',
    },
    {
      hub: 'id',
      remote: 'key',
      toRemote: '$type($value) = "string" ? "HUB-" & $value : $value',
      toHub: '$type($value) = "string" ? $substringAfter($value, "HUB-") : $value',
    },
  ],
};

// The hub schema with `id` writable, so the prefix round trip above can be exercised.
const hub: ObjectSchema = {
  properties: { ...defaultHubSchemas.milestone.properties, id: { type: 'string' } },
};

describe('a two-way mapping maps out and back to the same record', () => {
  const compiled = compileMapping(spec, { hubSchema: hub });

  it('is a valid spec for these schemas', () => {
    expect(validateMapping(spec, { hub, remote })).toMatchObject({ ok: true });
  });

  it('hub → remote → hub keeps every mapped field (property)', async () => {
    await fc.assert(
      fc.asyncProperty(recordFor(hub.properties), async (record) => {
        const out = await compiled.toRemote(record);
        expect(out.errors).toEqual([]);
        const back = await compiled.toHub(out.output);
        expect(back.errors).toEqual([]);
        expect(linkSnapshot(spec, back.output).values).toEqual(linkSnapshot(spec, record).values);
      }),
      { numRuns: 300 },
    );
  });

  it('hub → remote → hub keeps the exact value at the edges', async () => {
    const edges = [
      { title: '', payment: { amount: 0 }, tags: [] },
      { title: 'ऋण 💸', payment: { amount: -1_000_000_000_001 }, percentComplete: -0 },
      { status: null, payment: { amount: null }, owners: [] },
      { id: 'HUB-HUB-1', payment: { amount: 999_999_999_999 }, dueDate: '2024-02-29T23:59:59.999Z' },
    ];
    for (const record of edges) {
      const back = await compiled.toHub((await compiled.toRemote(record)).output);
      expect(linkSnapshot(spec, back.output).values).toEqual(linkSnapshot(spec, record).values);
    }
  });
});
