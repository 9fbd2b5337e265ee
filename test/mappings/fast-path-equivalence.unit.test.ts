// Differential test: the compiled fast path against JSONata itself. For each expression, random
// records and $value bindings go through both; the fast path must give exactly JSONata's result
// (same value, same undefined-ness, same key order, same prototypes) or decline (NOT_FAST), and it
// must decline whenever JSONata throws, so every error still comes from JSONata.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression, fastExpression } from '../../mappings/compile-expression.ts';
import { NOT_FAST } from '../../mappings/compile-fast-expression.ts';
import { compileMapping, createCompileCache } from '../../mappings/index.ts';
import type { FieldMapping, MappingSpecInput } from '../../mappings/index.ts';

const RUNS_PER_EXPRESSION = 300;

// Expressions the fast path compiles; every construct and built-in of the subset appears.
const COMPILED = [
  // paths and bindings
  'a', 'a.b', 'a.b.c', '`x y`.z', '"a".b', '$value', '$value.a', '$value.a.b', '$', '$.a', '$$.a.b', 'a.$', 'a.$$.b', 'a.(b)',
  // literals
  '"text"', '1.5', 'true', 'false', 'null', '-3',
  // arithmetic
  '$value / 100', 'a + b', 'a - 1', 'a * b', 'a % 3', '-a', '-$value', '$value * 100 + a', '(a + b) * 2', '1 / 0', 'a / b',
  // comparison and logic
  'a = b', 'a != "x"', 'a < b', 'a <= 3', 'a > "m"', 'a >= b', 'a = [1, 2]', '$value = {"k": 1}', '$value != a',
  'a and b', 'a or $value', 'a in ["x", "y", 1]', '$value in a', 'a = 1 and b', 'a.b or c.d',
  // strings
  'a & b', '"x" & a & "/" & $value', 'a & $value.b', 'customFields.region & "/" & $value',
  // conditionals, blocks
  'a ? b : c', 'a ? "yes"', 'a > 1 ? "big" : "small"', '$value ? $value : "none"', '(a; b)', '()',
  // constructors
  '[a, b]', '[a, [b, c]]', '[$value, 1]', '[]', '["[", a]', '{"k": a, "j": $value}', '{a: b}', '{"1": a, "b": 2, "a": 3}',
  '{"k": [a]}', '{a & "x": b, "y": 1}', '{"k": {"n": a.b}}', '$value.{ "name": $ }', 'a.{"v": b}',
  // built-ins
  '$string(a)', '$string($value)', '$number(a)', '$number($value)', '$boolean($value)', '$boolean(a)', '$not(a)', '$not($value)',
  '$exists(a.b)', '$exists($value)', '$uppercase(a)', '$uppercase($value)', '$lowercase($value)', '$trim(a)', '$trim($value)',
  '$length(a)', '$length($value)', '$substring(a, 1)', '$substring($value, 0, 7)', '$substring(a, -3, 2)', '$substring(a, b, c)',
  '$substring($value, a)', '$substringBefore(a, "-")', '$substringBefore($value, " (")', '$substringAfter(a, b)',
  '$substringAfter($value, ",")', '$contains(a, "x")', '$contains($value, a)', '$split(a, ",")', '$split($value, "", 2)',
  '$split(a, b, c)', '$join($value, ",")', '$join(a)', '$join(a, b)', '$replace(a, "x", "y")', '$replace($value, a, "-", c)', '$replace(a, "x", b)',
  '$replace($value, " ", "_")', '$round($value)', '$round(a, 2)', '$round($value, -1)', '$round($value * 100)', '$floor(a)',
  '$ceil($value)', '$abs(a)', '$sum(a)', '$sum($value)', '$count(a)', '$count($value)', '$max(a)', '$min($value)',
  '$lookup($value, "a")', '$lookup(a, b)', '$keys(a)', '$keys($value)',
  // compositions
  '$uppercase($substring($value, 0, 1)) & $substring($value, 1)', '$join($split(a, ","), "|")', 'a.$uppercase($)',
  '$string($value) & "!"', '$count($split($value, ","))', '$not($exists(a)) ? "missing" : $string(a)',
];

// Expressions left to JSONata, to show they are recognised as outside the subset.
const NOT_COMPILED = [
  'a[0]', 'a.b[0]', '$value.name[]', 'a[b > 1]', '$map($value, function($v) { $v * 2 })', '$filter(a, function($v) { $v })',
  '$now()', '$millis()', '$toMillis(a)', '$fromMillis($value)', 'a ~> $uppercase()', '($x := 1; $x)', 'a.*', '**.a',
  '$match(a, /x/)', '$replace(a, /x/, "y")', '[1..3]', '$sort(a)', 'a{b: c}', '$uppercase()', '$string(a, true)', '$substring(a)',
  '$average(a)', '$x', 'a^(b)', 'a@$x.b', 'a#$i.b', 'a.b.%.c', '$string', 'uppercase(a)',
];

const KEYS = ['a', 'b', 'c', 'x y', 'z', 'k', 'name', 'customFields', 'region', 'outerWrapper', '_jsonata_function'] as const;

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('', ' ', 'x', 'y', 'a,b,c', ' x  y\t', '12', '-3.5e2', '0x1F', '1e400', 'true', 'x (y)', 'a-b', 'ABC', '😀ab', '\uD800x', '$1'),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double(),
  fc.constantFrom(0, -0, 0.5, 1.5, 2.5, -2.5, 1e21, 0.1 + 0.2, 123.456, Number.NaN, Number.POSITIVE_INFINITY),
  fc.boolean(),
  fc.constant(null),
  // Not JSON, but JS records can hold it: an explicit undefined inside arrays and objects.
  fc.constant(undefined),
);

const { value: anyValue } = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, leaf, tie('array'), tie('object')),
  array: fc.oneof(
    fc.array(tie('value'), { maxLength: 4 }),
    // One-item and nested arrays, where JSONata's boolean and path rules have their corners.
    fc.constantFrom<unknown[]>([undefined], [null], [[undefined]], [''], [0], [[]], [{}], [[1, 2]], ['x'], [[['x']]]),
    fc.array(fc.string({ maxLength: 4 }), { maxLength: 4 }),
    fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 4 }),
  ),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4 }),
}));

const record = fc.dictionary(fc.constantFrom(...KEYS), anyValue, { maxKeys: 6 });
const binding = fc.option(anyValue, { nil: undefined, freq: 4 });

// A strict rendering: types, -0, NaN, undefined array items and object values, key order,
// prototypes and extra array properties (a JSONata sequence's `sequence` flag) all show.
function render(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Object.is(value, -0) ? 'number:-0' : `number:${value}`;
  if (typeof value !== 'object' || value === null) return `${typeof value}:${JSON.stringify(value)}`;
  if (Array.isArray(value)) {
    const extra = Object.getOwnPropertyNames(value).filter((key) => key !== 'length' && !/^\d+$/.test(key));
    const items = Array.from({ length: value.length }, (_, i) => (i in value ? render(value[i]) : 'hole'));
    return `[${items.join(', ')}]${extra.length > 0 ? `+${extra.join('+')}` : ''}`;
  }
  const proto = Object.getPrototypeOf(value) === null ? 'null-proto' : 'object';
  const entries = Object.keys(value).map((key) => `${JSON.stringify(key)}: ${render((value as Record<string, unknown>)[key])}`);
  return `${proto}{${entries.join(', ')}}`;
}

async function viaJsonata(text: string, input: unknown, bindings: Record<string, unknown>): Promise<{ value: unknown } | { code: string }> {
  const compiled = compileExpression(text, '');
  if (!compiled.ok) throw new Error(compiled.error.message);
  try {
    return { value: await compiled.expression.evaluate(input, bindings) };
  } catch (error) {
    return { code: String((error as { code?: unknown }).code ?? (error as Error).name) };
  }
}

function fastFor(text: string, binding = 'value') {
  const compiled = compileExpression(text, '');
  if (!compiled.ok) throw new Error(compiled.error.message);
  return fastExpression(compiled.expression, binding);
}

describe('fast path: recognises its subset', () => {
  it.each(COMPILED)('compiles %s', (text) => {
    expect(fastFor(text)).toBeTypeOf('function');
  });

  it.each(NOT_COMPILED)('leaves %s to JSONata', (text) => {
    expect(fastFor(text)).toBeUndefined();
  });

  it('compiles only the variable it is told is bound, and not a built-in it would shadow', () => {
    expect(fastFor('$direction = "in"', 'direction')).toBeTypeOf('function');
    expect(fastFor('$direction = "in"', 'value')).toBeUndefined();
    expect(fastFor('$string(a)', 'string')).toBeUndefined();
  });

  it('declines expressions too large for JSONata\'s stack guard to be out of reach', () => {
    expect(fastFor(Array.from({ length: 60 }, (_, i) => `a${i}`).join(' & '))).toBeTypeOf('function');
    expect(fastFor(`[${Array.from({ length: 300 }, () => 'a').join(', ')}]`)).toBeUndefined();
  });
});

describe('fast path: gives JSONata\'s results, or declines', () => {
  const fastRuns = new Map<string, number>();

  it.each(COMPILED)('%s', async (text) => {
    const fast = fastFor(text);
    if (fast === undefined) throw new Error(`${text} did not compile`);
    let onFastPath = 0;
    await fc.assert(
      fc.asyncProperty(record, binding, async (input, value) => {
        const expected = await viaJsonata(text, input, { value });
        const actual = fast(input, value);
        if (actual === NOT_FAST) return;
        onFastPath += 1;
        if ('code' in expected) {
          throw new Error(`JSONata threw ${expected.code} but the fast path returned ${render(actual)}`);
        }
        expect(render(actual)).toBe(render(expected.value));
      }),
      { numRuns: RUNS_PER_EXPRESSION },
    );
    fastRuns.set(text, onFastPath);
    // The fast path must actually carry this expression for some inputs, or the test proves nothing.
    expect(onFastPath).toBeGreaterThan(0);
  });

  it('binds other variables the same way (the filter\'s $direction)', async () => {
    const text = '$boolean(($direction = "in" or a > 0))';
    const fast = fastFor(text, 'direction');
    if (fast === undefined) throw new Error('did not compile');
    await fc.assert(
      fc.asyncProperty(record, fc.constantFrom('in', 'out'), async (input, direction) => {
        const expected = await viaJsonata(text, input, { direction });
        const actual = fast(input, direction);
        if (actual === NOT_FAST) return;
        expect('value' in expected && render(expected.value)).toBe(render(actual));
      }),
      { numRuns: RUNS_PER_EXPRESSION },
    );
  });

  it('carries most evaluations of the subset', () => {
    const total = [...fastRuns.values()].reduce((sum, n) => sum + n, 0);
    expect(total / (COMPILED.length * RUNS_PER_EXPRESSION)).toBeGreaterThan(0.5);
  });
});

describe('fast path: edge cases JSONata treats specially', () => {
  const cases: Array<[string, unknown, unknown]> = [
    ['$value / 100', {}, 'lots'],
    ['$value / 100', {}, Number.POSITIVE_INFINITY],
    ['$value / 100', {}, [1]],
    ['a.b', { a: [{ b: 1 }, { b: 2 }] }, undefined],
    ['a.b', { a: [{ b: 1 }] }, undefined],
    ['$value', {}, Object.assign([1, 2], { sequence: true })],
    ['a', { a: Object.assign(['x'], { sequence: true }) }, undefined],
    ['$', { outerWrapper: true, 0: 'zero' }, undefined],
    ['$string($value)', {}, { n: Number.POSITIVE_INFINITY }],
    ['$string($value)', {}, { n: 1.123456789012345678, f: () => 1 }],
    ['$join($value, ",")', {}, ['a', 1]],
    ['$join($value)', {}, 'solo'],
    ['$sum($value)', {}, [1, 'x']],
    ['$keys($value)', {}, { a: 1, b: 2 }],
    ['$keys($value)', {}, { a: 1 }],
    ['$number($value)', {}, 'abc'],
    ['$number($value)', {}, null],
    ['$replace($value, "", "x")', {}, 'abc'],
    ['$split($value, ",", -1)', {}, 'a,b'],
    ['$substring($value, 1, 2)', {}, '😀a😀b'],
    ['$length($value)', {}, '😀a\uD800'],
    ['{"k": 1, "k": 2}', {}, undefined],
    ['{$value: 1}', {}, 3],
    ['{$value: 1, "x": 2}', {}, 'x'],
    ['{$value: 1}', {}, '_jsonata_function'],
    ['a < b', { a: 1, b: 'x' }, undefined],
    ['a & b', { a: { x: Number.NaN }, b: [1.5] }, undefined],
    ['a.b', { a: { _jsonata_function: true, b: 1 } }, undefined],
    ['$lookup($value, "a")', {}, [{ a: 1 }, { a: 2 }]],
    ['$boolean($value)', {}, [[], [0], ['']]],
    ['$boolean($value)', {}, [undefined]],
    ['$boolean($value)', {}, [[undefined]]],
    ['$value.{ "name": $ }', {}, ['x', 'y']],
  ];

  it.each(cases)('%s with %j and $value %j', async (text, input, value) => {
    const fast = fastFor(text);
    const expected = await viaJsonata(text, input, { value });
    const actual = fast === undefined ? NOT_FAST : fast(input, value);
    if (actual === NOT_FAST) return;
    expect('value' in expected).toBe(true);
    expect(render(actual)).toBe(render((expected as { value: unknown }).value));
  });

  it('declines inputs that are arrays, which JSONata wraps in a sequence', () => {
    expect(fastFor('$count($)')?.([1, 2], undefined)).toBe(NOT_FAST);
  });
});

// End to end: the same spec compiled with and without the fast path gives the same MapResult for
// random records: outputs (key order included), errors (messages, positions) and skips.
describe('compileMapping: the fast path changes nothing but speed', () => {
  const fields: FieldMapping[] = [
    { hub: 'a', remote: 'out.plain' },
    { hub: 'b', remote: 'out.status', valueMap: { x: 'X', y: 'Y' } },
    { hub: 'a', remote: 'out.scaled', toRemote: '$value / 100' },
    { hub: 'b', remote: 'out.upper', toRemote: '$uppercase($value)', required: true },
    { hub: 'c', remote: 'out.joined', toRemote: '$join($value, ",")' },
    { hub: 'k', remote: 'out.month', toRemote: '$substring($value, 0, 7)', default: 'none' },
    { hub: 'name', remote: 'out.path', toRemote: 'customFields.region & "/" & $value' },
    { hub: 'z', remote: 'out.obj', toRemote: '{"v": $value, "n": $count(a)}' },
    { hub: 'a', remote: 'out.first', toRemote: 'a[0]' },
    { hub: 'c', remote: 'out.rounded', toRemote: '$round($value * 100)' },
  ];
  const spec = (filter?: string): MappingSpecInput => ({
    connectionId: 'c1', name: 'equivalence', hubObject: 'milestone', remoteObject: 'issue', direction: 'out', fields,
    ...(filter === undefined ? {} : { filter }),
  });

  it('keeps JSONata-only compilations apart in the compile cache', () => {
    const cache = createCompileCache();
    expect(cache.compile(spec())).toBe(cache.compile(spec()));
    expect(cache.compile(spec(), { fastExpressions: false })).not.toBe(cache.compile(spec()));
    expect(cache.size).toBe(2);
  });

  it.each([undefined, 'a > 0 or $direction = "in"', 'b'])('with filter %s', async (filter) => {
    const fast = compileMapping(spec(filter));
    const slow = compileMapping(spec(filter), { fastExpressions: false });
    await fc.assert(
      fc.asyncProperty(record, async (input) => {
        expect(render(await fast.toRemote(input))).toBe(render(await slow.toRemote(input)));
      }),
      { numRuns: 1_000 },
    );
  });
});
