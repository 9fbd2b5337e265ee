// The generated code in a compiled mapping (per-path readers and writers, the unrolled runner)
// against the plain implementations it stands in for, on random paths, specs and records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMappingWith } from '../../mappings/compile-mapping.ts';
import { pathReader, pathWriter } from '../../mappings/field-path.ts';
import type { PathSegment } from '../../mappings/field-path.ts';
import { generatedPathReader, generatedPathWriter } from '../../mappings/generated-path-access.ts';
import type { FieldMapping, MappingSpecInput } from '../../mappings/index.ts';

const KEYS = ['a', 'b', 'c', 'name', 'toString', 'valueOf', 'hasOwnProperty', 'x"y', 'q\\r', '\u2028', '$k', '0'];

const segment: fc.Arbitrary<PathSegment> = fc.oneof(fc.constantFrom(...KEYS), fc.nat({ max: 3 }));
const segments = fc.array(segment, { minLength: 1, maxLength: 4 });

const { value: anyValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(undefined, null, 0, 1, '', 'text', true, () => 1),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4 }),
  ),
}));

// Types, undefined, holes, functions, key order and prototypes all show.
function render(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'function';
  if (typeof value !== 'object' || value === null) return `${typeof value}:${JSON.stringify(value)}`;
  if (Array.isArray(value)) return `[${Array.from({ length: value.length }, (_, i) => (i in value ? render(value[i]) : 'hole')).join(', ')}]`;
  const proto = Object.getPrototypeOf(value) === null ? 'null-proto' : Object.getPrototypeOf(value) === Object.prototype ? 'object' : 'other';
  return `${proto}{${Object.keys(value).map((key) => `${JSON.stringify(key)}: ${render((value as Record<string, unknown>)[key])}`).join(', ')}}`;
}

describe('generated path readers and writers', () => {
  it('read what pathReader reads', () => {
    fc.assert(
      fc.property(segments, anyValue, (path, record) => {
        expect(render(generatedPathReader(path)(record))).toBe(render(pathReader(path)(record)));
      }),
      { numRuns: 3_000 },
    );
  });

  it('write what pathWriter writes', () => {
    fc.assert(
      fc.property(segments, fc.dictionary(fc.constantFrom(...KEYS), anyValue, { maxKeys: 4 }), anyValue, (path, target, value) => {
        if (!structuredCloneable(target)) return; // targets holding functions cannot be copied
        const viaGenerated = structuredClone(target);
        const viaPlain = structuredClone(target);
        generatedPathWriter(path)(viaGenerated, value);
        pathWriter(path)(viaPlain, value);
        expect(render(viaGenerated)).toBe(render(viaPlain));
      }),
      { numRuns: 3_000 },
    );
  });

  it('keep keys out of the generated source', () => {
    const key = '"]; globalThis.injected = true; //';
    expect(generatedPathReader([key])({ [key]: 1 })).toBe(1);
    const target: Record<string, unknown> = {};
    generatedPathWriter(['a', key])(target, 2);
    expect(target).toEqual({ a: { [key]: 2 } });
    expect((globalThis as { injected?: unknown }).injected).toBeUndefined();
  });
});

function structuredCloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

// Random specs: plain copies, value maps, expressions on and off the fast path, defaults and
// required fields, in both directions, with and without a filter.
const HUB_PATHS = ['a', 'b', 'c', 'name', 'k', 'z', 'customFields.region', 'a.b', 'tags[1]', 'owners[0].email'];
const EXPRESSIONS = ['$value', '$value / 100', '$uppercase($value)', '$join($value, ",")', '$substring($value, 0, 3)',
  'customFields.region & "/" & $value', '{"v": $value, "n": $count(a)}', 'a[0]', '$value.name[]', '$round($value * 100)',
  '$value ? $string($value) : null', '$boolean($value)', '$number($value)', 'b.c'];
const SCALARS = ['x', 'y', 'z', 1, 2, true, false];

const field = (direction: 'out' | 'in', index: number): fc.Arbitrary<FieldMapping> =>
  fc.record({
    hub: fc.constantFrom(...HUB_PATHS),
    kind: fc.constantFrom('copy', 'valueMap', 'expression'),
    expression: fc.constantFrom(...EXPRESSIONS),
    valueMap: fc.shuffledSubarray(SCALARS, { minLength: 1, maxLength: 4 }),
    default: fc.option(fc.constantFrom<unknown>('d', 0, null, ['list'], { o: 1 }), { nil: undefined, freq: 3 }),
    required: fc.boolean(),
    target: fc.constantFrom(`out.f${index}`, `f${index}`, `deep.f${index}.x`, `list[${index}]`),
  }).map(({ hub, kind, expression, valueMap, default: fallback, required, target }) => {
    const mapping: FieldMapping = { hub, remote: target };
    // Inbound, hub paths are the targets: keep them distinct per field.
    if (direction === 'in') mapping.hub = `h${index}.${hub.replace(/\[\d+\]/g, '')}`;
    if (kind === 'valueMap') mapping.valueMap = Object.fromEntries(valueMap.map((remote, i) => [`k${i}`, remote])) as FieldMapping['valueMap'];
    if (kind === 'expression') mapping[direction === 'out' ? 'toRemote' : 'toHub'] = expression;
    if (fallback !== undefined) mapping.default = fallback as FieldMapping['default'];
    if (required) mapping.required = true;
    return mapping;
  });

const spec = fc.constantFrom<'out' | 'in'>('out', 'in').chain((direction) =>
  fc.record({
    direction: fc.constant(direction),
    fields: fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => field(direction, i)))),
    filter: fc.option(fc.constantFrom('a > 0 or $direction = "in"', 'b', '$count(tags) > 1'), { nil: undefined }),
  }).map(({ direction: d, fields, filter }): MappingSpecInput => ({
    connectionId: 'c1', name: 'random', hubObject: 'milestone', remoteObject: 'issue', direction: d, fields, ...(filter === undefined ? {} : { filter }),
  })));

const { value: recordValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<unknown>('x', 'y', 'k0', 'k1', 'z', '', 'text', 0, 1, 2, 150, -2.5, true, false, null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'name', 'email', 'region', 'x'), tie('value'), { maxKeys: 3 }),
  ),
}));
const hubRecord = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'name', 'k', 'z', 'customFields', 'tags', 'owners'), recordValue, { maxKeys: 6 });
const remoteRecord = fc.record({
  out: fc.dictionary(fc.constantFrom(...Array.from({ length: 8 }, (_, i) => `f${i}`)), recordValue, { maxKeys: 5 }),
  deep: recordValue,
  list: fc.array(recordValue, { maxLength: 8 }),
  a: recordValue,
  b: recordValue,
  tags: recordValue,
  customFields: recordValue,
}, { requiredKeys: [] });

describe('compiled mappings: generated runner, fast expressions and the plain loop agree', () => {
  it('on random specs and records', async () => {
    await fc.assert(
      fc.asyncProperty(spec, fc.array(fc.oneof(hubRecord, remoteRecord), { minLength: 1, maxLength: 5 }), async (input, records) => {
        const production = compileMappingWith(input, {}, true);
        const loopFast = compileMappingWith(input, {}, false);
        const loopJsonata = compileMappingWith(input, { fastExpressions: false }, false);
        const map = input.direction === 'out' ? 'toRemote' : 'toHub';
        for (const record of records) {
          const reference = render(await loopJsonata[map](record));
          expect(render(await loopFast[map](record))).toBe(reference);
          expect(render(await production[map](record))).toBe(reference);
        }
      }),
      { numRuns: 1_500 },
    );
  });
});
