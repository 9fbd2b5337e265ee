import type jsonata from 'jsonata';
import { FAST_FUNCTIONS } from './fast-functions.ts';
import type { FastFunction } from './fast-functions.ts';
import {
  boolize,
  buildArray,
  compare,
  concat,
  includes,
  isDeepEqual,
  isFunction,
  isNumeric,
  objectFromKeys,
  toBoolean,
  unsupported,
} from './jsonata-semantics.ts';

/** Returned by a fast expression that cannot vouch for this input; evaluate it with JSONata instead. */
export const NOT_FAST: unique symbol = Symbol('not fast');

/**
 * A JSONata expression compiled to a synchronous function. Given the value of the one variable it
 * was compiled for (see `compileFastExpression`), it returns exactly what
 * `await expression.evaluate(input, { [name]: value })` would return, or `NOT_FAST` when the input
 * takes it anywhere it does not mirror JSONata (including every case where JSONata throws).
 */
export type FastExpression = (input: unknown, value: unknown) => unknown;

type Node = Record<string, unknown>;

// The keys each node type may carry. Anything else (predicates, stages, grouping, focus and index
// bindings, keepArray, consarray, parent references, ...) changes evaluation, so such a node is
// left to JSONata. Function nodes always carry `name`, undefined (checked in `call`).
const KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  string: new Set(['type', 'value', 'position']),
  number: new Set(['type', 'value', 'position']),
  value: new Set(['type', 'value', 'position']),
  name: new Set(['type', 'value', 'position']),
  variable: new Set(['type', 'value', 'position']),
  path: new Set(['type', 'steps']),
  binary: new Set(['type', 'value', 'position', 'lhs', 'rhs']),
  unary: new Set(['type', 'value', 'position', 'expression', 'expressions', 'lhs']),
  condition: new Set(['type', 'position', 'condition', 'then', 'else']),
  block: new Set(['type', 'position', 'expressions']),
  function: new Set(['type', 'name', 'value', 'position', 'arguments', 'procedure']),
};

const COMPARISONS = new Set(['<', '<=', '>', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

// What generated code can reach: the semantics helpers, the built-ins, and constants.
const RUNTIME = {
  u: unsupported,
  isNumeric,
  isFunction,
  boolize,
  toBoolean,
  compare,
  concat,
  includes,
  isDeepEqual,
  buildArray,
  objectFromKeys,
  hasOwn: Object.prototype.hasOwnProperty,
  NOT_FAST,
};

/**
 * Compiles the common subset of JSONata to a plain synchronous function: paths over names
 * (backticked or not) from the context, `$`, `$$` or the bound variable; string, number, boolean
 * and null literals; `+ - * / %`, `= != < <= > >=`, `and`, `or`, `&`, `in`, unary minus; `? :`;
 * blocks; array and object constructors; and the built-ins in fast-functions.ts. Returns
 * undefined for anything else, for expressions larger than `maxNodes` (which keeps JSONata's own
 * stack guard, counted in nested evaluations, out of reach of anything the fast path accepts),
 * and where code generation is disallowed. `binding` names the one variable every call binds
 * (without the `$`).
 *
 * The function is generated source, so each property read and call in it has one site of its own
 * and stays monomorphic. Of the expression's text, only strings (names and string literals)
 * enter that source, as JSON string literals; numbers go through a constants array, and
 * everything else in the source is the generator's own.
 */
export function compileFastExpression(
  ast: jsonata.ExprNode,
  options: { binding?: string; maxNodes: number },
): FastExpression | undefined {
  const gen = new Generator(options.binding, options.maxNodes);
  const lines: string[] = [];
  const result = gen.node(ast, 'input', lines);
  if (result === undefined) return undefined;
  const source = [
    '"use strict";',
    'const { u, isNumeric, isFunction, boolize, toBoolean, compare, concat, includes, isDeepEqual, buildArray, objectFromKeys, hasOwn, NOT_FAST } = rt;',
    ...gen.functions.map((_name, i) => `const f${i} = fns[${i}].call;`),
    'function evaluate(input, root, bound) {',
    gen.temps > 0 ? `let ${Array.from({ length: gen.temps }, (_, i) => `t${i}`).join(', ')};` : '',
    ...lines,
    `return ${result};`,
    '}',
    // A top-level array is wrapped into a sequence by JSONata; records never are arrays.
    'return function fast(input, bound) {',
    'if (Array.isArray(input)) return NOT_FAST;',
    'try { return evaluate(input, input, bound); } catch { return NOT_FAST; }',
    '};',
  ].join('\n');
  try {
    const factory = new Function('rt', 'fns', 'K', source) as (rt: typeof RUNTIME, fns: FastFunction[], constants: unknown[]) => FastExpression;
    return factory(RUNTIME, gen.functions.map((name) => FAST_FUNCTIONS.get(name) as FastFunction), gen.constants);
  } catch (error) {
    // node --disallow-code-generation-from-strings: every expression goes to JSONata.
    if (error instanceof EvalError) return undefined;
    throw error;
  }
}

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Each `node` method appends statements to `out` and returns a JS expression for the node's value:
// a temporary, a literal, or a parameter. Evaluating a node may throw (`u()`), which the wrapper
// turns into NOT_FAST. `ctx` is always a temporary or a parameter, so it can be repeated freely.
class Generator {
  temps = 0;
  nodes = 0;
  readonly constants: unknown[] = [];
  readonly functions: string[] = [];

  constructor(
    private readonly binding: string | undefined,
    private readonly maxNodes: number,
  ) {}

  private temp(): string {
    const name = `t${this.temps}`;
    this.temps += 1;
    return name;
  }

  private constant(value: unknown): string {
    this.constants.push(value);
    return `K[${this.constants.length - 1}]`;
  }

  node(node: unknown, ctx: string, out: string[]): string | undefined {
    if (!isNode(node) || typeof node.type !== 'string') return undefined;
    this.nodes += 1;
    if (this.nodes > this.maxNodes) return undefined;
    const allowed = KEYS[node.type];
    if (allowed === undefined) return undefined;
    for (const key of Object.keys(node)) if (!allowed.has(key)) return undefined;
    switch (node.type) {
      case 'string':
        return typeof node.value === 'string' ? JSON.stringify(node.value) : undefined;
      case 'number':
        return typeof node.value === 'number' ? this.constant(node.value) : undefined;
      case 'value':
        return node.value === true || node.value === false || node.value === null ? String(node.value) : undefined;
      case 'name':
        return typeof node.value === 'string' ? this.name(node.value, ctx, out) : undefined;
      case 'variable':
        return this.variable(node, ctx, out);
      case 'path':
        return this.path(node, ctx, out);
      case 'binary':
        return this.binary(node, ctx, out);
      case 'unary':
        return this.unary(node, ctx, out);
      case 'condition':
        return this.condition(node, ctx, out);
      case 'block':
        return this.block(node, ctx, out);
      case 'function':
        return this.call(node, ctx, out);
      default:
        return undefined;
    }
  }

  // `fn.lookup` for one item: an own property of an object that is not a JSONata function. An
  // array would be mapped over (a sequence), and so would a sequence found there: JSONata's.
  private name(key: string, ctx: string, out: string[]): string {
    const t = this.temp();
    const k = JSON.stringify(key);
    out.push(
      `if (${ctx} !== null && typeof ${ctx} === "object") {`,
      `  if (Array.isArray(${ctx})) u();`,
      `  if (hasOwn.call(${ctx}, ${k}) && ${ctx}._jsonata_function !== true && ${ctx}._jsonata_lambda !== true) {`,
      `    ${t} = ${ctx}[${k}];`,
      `    if (Array.isArray(${t}) && ${t}.sequence === true) u();`,
      `  } else ${t} = undefined;`,
      `} else ${t} = undefined;`,
    );
    return t;
  }

  private variable(node: Node, ctx: string, out: string[]): string | undefined {
    const id = node.value;
    // `$`: the context. JSONata unwraps a context carrying `outerWrapper`; only its own sequences
    // do, so a record with such a key is left to it.
    if (id === '') {
      out.push(`if (${ctx} && ${ctx}.outerWrapper) u();`);
      return ctx;
    }
    if (id === '$') return 'root';
    if (typeof id !== 'string' || id !== this.binding) return undefined;
    out.push('if (Array.isArray(bound) && bound.sequence === true) u();');
    return 'bound';
  }

  private all(nodes: unknown, ctx: string, out: string[]): string[] | undefined {
    if (!Array.isArray(nodes)) return undefined;
    const values: string[] = [];
    for (const node of nodes) {
      const value = this.node(node, ctx, out);
      if (value === undefined) return undefined;
      values.push(value);
    }
    return values;
  }

  // With one context item and no arrays along the way, a path is its steps applied in turn: a
  // missing value ends it (undefined), and the last step's value is the result (an array found
  // there is returned as it is). An array before the last step would flatten into a sequence.
  private path(node: Node, ctx: string, out: string[]): string | undefined {
    if (!Array.isArray(node.steps) || node.steps.length === 0) return undefined;
    const t = this.temp();
    out.push(`if (Array.isArray(${ctx})) u();`);
    const emit = (index: number, item: string, into: string[]): boolean => {
      const value = this.node((node.steps as unknown[])[index], item, into);
      if (value === undefined) return false;
      if (index === (node.steps as unknown[]).length - 1) {
        into.push(`${t} = ${value};`);
        return true;
      }
      const next = this.temp();
      const rest: string[] = [];
      if (!emit(index + 1, next, rest)) return false;
      into.push(
        `${next} = ${value};`,
        `if (${next} === undefined) ${t} = undefined;`,
        'else {',
        `  if (Array.isArray(${next})) u();`,
        ...rest,
        '}',
      );
      return true;
    };
    return emit(0, ctx, out) ? t : undefined;
  }

  private binary(node: Node, ctx: string, out: string[]): string | undefined {
    const op = node.value;
    if (typeof op !== 'string') return undefined;
    const lhs = this.node(node.lhs, ctx, out);
    if (lhs === undefined) return undefined;
    const t = this.temp();
    if (op === 'and' || op === 'or') {
      // The right side is evaluated only when needed, as in JSONata.
      const rest: string[] = [];
      const rhs = this.node(node.rhs, ctx, rest);
      if (rhs === undefined) return undefined;
      out.push(`${t} = boolize(${lhs});`, `if (${op === 'and' ? t : `!${t}`}) {`, ...rest, `  ${t} = boolize(${rhs});`, '}');
      return t;
    }
    const a = this.temp();
    out.push(`${a} = ${lhs};`);
    const rhs = this.node(node.rhs, ctx, out);
    if (rhs === undefined) return undefined;
    if (ARITHMETIC.has(op)) {
      const b = this.temp();
      out.push(
        `${b} = ${rhs};`,
        // T2001 / T2002 for a non-number; D1001 (inside isNumeric) for ±Infinity.
        `if (${a} !== undefined && !isNumeric(${a})) u();`,
        `if (${b} !== undefined && !isNumeric(${b})) u();`,
        `${t} = ${a} === undefined || ${b} === undefined ? undefined : ${a} ${op} ${b};`,
      );
      return t;
    }
    if (COMPARISONS.has(op)) out.push(`${t} = compare(${JSON.stringify(op)}, ${a}, ${rhs});`);
    else if (op === '=') out.push(`${t} = ${a} !== undefined && (${rhs}) !== undefined && isDeepEqual(${a}, ${rhs});`);
    else if (op === '!=') out.push(`${t} = ${a} !== undefined && (${rhs}) !== undefined && !isDeepEqual(${a}, ${rhs});`);
    else if (op === '&') out.push(`${t} = concat(${a}, ${rhs});`);
    else if (op === 'in') out.push(`${t} = includes(${a}, ${rhs});`);
    else return undefined;
    return t;
  }

  private unary(node: Node, ctx: string, out: string[]): string | undefined {
    switch (node.value) {
      case '-': {
        if ('expressions' in node || 'lhs' in node) return undefined;
        const operand = this.node(node.expression, ctx, out);
        if (operand === undefined) return undefined;
        const t = this.temp();
        out.push(
          `${t} = ${operand};`,
          // D1002 for a non-number.
          `if (${t} !== undefined) { if (!isNumeric(${t})) u(); ${t} = -${t}; }`,
        );
        return t;
      }
      case '[': {
        if ('expression' in node || 'lhs' in node || !Array.isArray(node.expressions)) return undefined;
        const items = this.all(node.expressions, ctx, out);
        if (items === undefined) return undefined;
        // An item that is itself an array constructor stays one item; others are appended.
        const nested = this.constant((node.expressions as Node[]).map((item) => item.value === '['));
        const t = this.temp();
        out.push(`${t} = buildArray([${items.join(', ')}], ${nested});`);
        return t;
      }
      case '{':
        if ('expression' in node || 'expressions' in node) return undefined;
        return this.object(node, ctx, out);
      default:
        return undefined;
    }
  }

  // JSONata builds objects without a prototype; over one context item, grouping is one pass of
  // the key/value pairs. Keys must be strings (T1003), distinct across pairs (D1009) and not
  // JSONata's internal flags (D1013); a pair whose key is undefined is skipped, value unevaluated.
  private object(node: Node, ctx: string, out: string[]): string | undefined {
    if (!Array.isArray(node.lhs)) return undefined;
    const keys: string[] = [];
    const pairs = node.lhs as unknown[];
    for (const pair of pairs) {
      if (!Array.isArray(pair) || pair.length !== 2) return undefined;
      const key = this.node(pair[0], ctx, out);
      if (key === undefined) return undefined;
      const k = this.temp();
      out.push(`${k} = ${key};`);
      keys.push(k);
    }
    const t = this.temp();
    // Checks the keys and returns the result object, with no properties yet.
    out.push(`${t} = objectFromKeys([${keys.join(', ')}]);`);
    for (const [i, pair] of (pairs as unknown[][]).entries()) {
      const rest: string[] = [];
      const value = this.node(pair[1], ctx, rest);
      if (value === undefined) return undefined;
      const v = this.temp();
      out.push(`if (${keys[i] as string} !== undefined) {`, ...rest, `  ${v} = ${value};`, `  if (${v} !== undefined) ${t}[${keys[i] as string}] = ${v};`, '}');
    }
    // String keys keep insertion (pair) order and integer-like keys sort first either way, so the
    // key order matches JSONata's, which inserts in its groups' key order.
    return t;
  }

  private condition(node: Node, ctx: string, out: string[]): string | undefined {
    const test = this.node(node.condition, ctx, out);
    if (test === undefined) return undefined;
    const then: string[] = [];
    const thenValue = this.node(node.then, ctx, then);
    if (thenValue === undefined) return undefined;
    const otherwise: string[] = [];
    const elseValue = node.else === undefined ? 'undefined' : this.node(node.else, ctx, otherwise);
    if (elseValue === undefined) return undefined;
    const t = this.temp();
    out.push(`if (toBoolean(${test})) {`, ...then, `  ${t} = ${thenValue};`, '} else {', ...otherwise, `  ${t} = ${elseValue};`, '}');
    return t;
  }

  // Every expression runs (any of them may fail); the last one's value is the block's.
  private block(node: Node, ctx: string, out: string[]): string | undefined {
    const values = this.all(node.expressions, ctx, out);
    if (values === undefined) return undefined;
    if (values.length === 0) return 'undefined';
    return values[values.length - 1];
  }

  private call(node: Node, ctx: string, out: string[]): string | undefined {
    const procedure = node.procedure;
    if (node.value !== '(' || node.name !== undefined || !isNode(procedure) || procedure.type !== 'variable') return undefined;
    for (const key of Object.keys(procedure)) if (!(KEYS.variable as ReadonlySet<string>).has(key)) return undefined;
    const id = procedure.value;
    // The bound variable, if it had the same name, would shadow the built-in.
    if (typeof id !== 'string' || id === this.binding) return undefined;
    const fn = FAST_FUNCTIONS.get(id);
    this.nodes += 1;
    if (fn === undefined || !Array.isArray(node.arguments) || !fn.arities.includes(node.arguments.length)) return undefined;
    const args: string[] = [];
    for (const argument of node.arguments as unknown[]) {
      const value = this.node(argument, ctx, out);
      if (value === undefined) return undefined;
      const a = this.temp();
      // JSONata wraps function arguments in closures; no fast built-in takes one.
      out.push(`${a} = ${value};`, `if (isFunction(${a})) u();`);
      args.push(a);
    }
    let index = this.functions.indexOf(id);
    if (index === -1) {
      index = this.functions.length;
      this.functions.push(id);
    }
    const t = this.temp();
    while (args.length < 4) args.push('undefined');
    out.push(`${t} = f${index}(${args.join(', ')});`);
    return t;
  }
}
