import type jsonata from 'jsonata';
import { expressionIssue } from './compile-expression.ts';
import { NOT_FAST } from './compile-fast-expression.ts';
import type { FastExpression } from './compile-fast-expression.ts';
import { valueMapKey } from './compile-value-map.ts';
import { fieldIndexOf } from './issue-path.ts';
import type { MappingIssue } from './mapping-issue.ts';
import { plainJson } from './plain-json.ts';

/**
 * The outcome of mapping one record. `output` holds every field that mapped, even when others
 * failed; write it only when `errors` is empty. A record the filter rejects is `skipped`, with no
 * output and no errors. `output` may share nested objects and arrays with the input record.
 */
export interface MapResult {
  output: Record<string, unknown> | undefined;
  errors: MappingIssue[];
  skipped: boolean;
}

export const COPY = 0;
export const FORWARD = 1;
export const INVERSE = 2;
export const EXPRESSION = 3;

/** One field in one direction, ready to run. */
export interface Step {
  at: string;
  name: string;
  read: (record: unknown) => unknown;
  write: (output: Record<string, unknown>, value: unknown) => void;
  kind: typeof COPY | typeof FORWARD | typeof INVERSE | typeof EXPRESSION;
  forward: ReadonlyMap<string, unknown> | undefined;
  inverse: ReadonlyMap<unknown, unknown> | undefined;
  expression: jsonata.Expression | undefined;
  fast: FastExpression | undefined;
  expressionAt: string;
  hasDefault: boolean;
  defaultValue: unknown;
  // Defaults are hub values: they stand in for the source outbound and for the result inbound.
  defaultBeforeTransform: boolean;
  required: boolean;
}

/** Maps one record (already checked to be an object) through the steps. */
export type Runner = (record: object) => Promise<MapResult>;

/**
 * Builds the runner for a list of steps: a function generated for these steps, which runs them
 * as straight-line code (each field's read, lookup and write stay monomorphic, much as in a
 * hand-written mapping), or, where code generation is disallowed or `generate` is false, the
 * same logic as a loop. Both give identical results; the generated source holds no text from the
 * spec, only step numbers, and reaches everything else through the steps themselves.
 */
export function createRunner(steps: readonly Step[], generate = true): Runner {
  const expressionSteps = steps.filter((step) => step.kind === EXPRESSION);
  const helpers: Helpers = {
    settle,
    fresh,
    valueMapKey,
    noEntry,
    noInverse,
    defer: (slow, slot, step, record, value) => {
      const pending = slow ?? [];
      pending[slot] = evaluate(step, record, value);
      return pending;
    },
    finish: finisher(expressionSteps),
    plainJson,
    sortErrors,
    NOT_FAST,
  };
  if (generate) {
    const generated = generateRunner(steps, helpers);
    if (generated !== undefined) return generated;
  }
  return interpretRunner(steps, expressionSteps.length, helpers);
}

type Slow = Array<Promise<Evaluated>>;

interface Helpers {
  settle: typeof settle;
  fresh: typeof fresh;
  valueMapKey: typeof valueMapKey;
  noEntry: typeof noEntry;
  noInverse: typeof noInverse;
  defer: (slow: Slow | undefined, slot: number, step: Step, record: object, value: unknown) => Slow;
  finish: (values: unknown[] | undefined, slow: Slow | undefined, output: Record<string, unknown>, errors: MappingIssue[]) => Promise<MapResult>;
  plainJson: typeof plainJson;
  sortErrors: typeof sortErrors;
  NOT_FAST: typeof NOT_FAST;
}

function interpretRunner(steps: readonly Step[], expressions: number, h: Helpers): Runner {
  return (record) => {
    const output: Record<string, unknown> = {};
    const errors: MappingIssue[] = [];
    // Expression results by slot; they settle after the other fields, whether they came from the
    // fast path or from JSONata, so outputs and errors have one order either way.
    const values: unknown[] | undefined = expressions > 0 ? new Array<unknown>(expressions) : undefined;
    let slow: Slow | undefined;
    let slot = 0;
    for (const step of steps) {
      let v = step.read(record);
      if (step.defaultBeforeTransform && step.hasDefault && (v === undefined || v === null)) v = h.fresh(step.defaultValue);
      switch (step.kind) {
        case COPY:
          if (v !== undefined && v !== null) step.write(output, v);
          else h.settle(step, v, output, errors, undefined);
          break;
        case FORWARD: {
          if (v === undefined || v === null) {
            h.settle(step, v, output, errors, undefined);
            break;
          }
          const key = h.valueMapKey(v);
          const forward = step.forward as ReadonlyMap<string, unknown>;
          if (key !== undefined && forward.has(key)) {
            const m = forward.get(key);
            if (m !== undefined && m !== null) step.write(output, m);
            else h.settle(step, m, output, errors, undefined);
          } else {
            h.settle(step, undefined, output, errors, h.noEntry(v));
          }
          break;
        }
        case INVERSE: {
          const inverse = step.inverse as ReadonlyMap<unknown, unknown>;
          if (inverse.has(v)) {
            const m = inverse.get(v);
            if (m !== undefined && m !== null) step.write(output, m);
            else h.settle(step, m, output, errors, undefined);
          } else if (v === undefined || v === null) {
            h.settle(step, v, output, errors, undefined);
          } else {
            h.settle(step, undefined, output, errors, h.noInverse(v));
          }
          break;
        }
        case EXPRESSION: {
          const m = step.fast === undefined ? h.NOT_FAST : step.fast(record, v);
          if (m === h.NOT_FAST) slow = h.defer(slow, slot, step, record, v);
          else (values as unknown[])[slot] = m !== null && typeof m === 'object' ? h.plainJson(m) : m;
          slot += 1;
          break;
        }
      }
    }
    return h.finish(values, slow, output, errors);
  };
}

// The loop above, unrolled: one block per step, with the step's functions and maps bound to
// constants so every call site sees a single target. Expression results wait in locals and, when
// none went to JSONata, settle right here, in the order finish() would settle them. Keep the two
// runners in step.
function generateRunner(steps: readonly Step[], h: Helpers): Runner | undefined {
  const bind: string[] = [];
  const body: string[] = [];
  const settleFast: string[] = [];
  let slots = 0;
  steps.forEach((step, i) => {
    const s = `s${i}`;
    bind.push(`const ${s} = steps[${i}], r${i} = ${s}.read, w${i} = ${s}.write;`);
    body.push(`v = r${i}(record);`);
    if (step.defaultBeforeTransform && step.hasDefault) body.push(`if (v === undefined || v === null) v = fresh(${s}.defaultValue);`);
    switch (step.kind) {
      case COPY:
        body.push(`if (v !== undefined && v !== null) w${i}(output, v); else settle(${s}, v, output, errors, undefined);`);
        break;
      case FORWARD:
        bind.push(`const f${i} = ${s}.forward;`);
        body.push(
          `if (v === undefined || v === null) settle(${s}, v, output, errors, undefined);`,
          `else { k = valueMapKey(v);`,
          `  if (k !== undefined && f${i}.has(k)) { m = f${i}.get(k); if (m !== undefined && m !== null) w${i}(output, m); else settle(${s}, m, output, errors, undefined); }`,
          `  else settle(${s}, undefined, output, errors, noEntry(v)); }`,
        );
        break;
      case INVERSE:
        bind.push(`const n${i} = ${s}.inverse;`);
        body.push(
          `if (n${i}.has(v)) { m = n${i}.get(v); if (m !== undefined && m !== null) w${i}(output, m); else settle(${s}, m, output, errors, undefined); }`,
          `else if (v === undefined || v === null) settle(${s}, v, output, errors, undefined);`,
          `else settle(${s}, undefined, output, errors, noInverse(v));`,
        );
        break;
      case EXPRESSION: {
        const slot = slots;
        slots += 1;
        const e = `e${slot}`;
        if (step.fast === undefined) {
          body.push(`slow = defer(slow, ${slot}, ${s}, record, v);`);
        } else {
          bind.push(`const x${i} = ${s}.fast;`);
          body.push(
            `${e} = x${i}(record, v);`,
            `if (${e} === NOT_FAST) slow = defer(slow, ${slot}, ${s}, record, v);`,
            `else if (${e} !== null && typeof ${e} === "object") ${e} = plainJson(${e});`,
          );
        }
        settleFast.push(`if (${e} !== undefined && ${e} !== null) w${i}(output, ${e}); else settle(${s}, ${e}, output, errors, undefined);`);
        break;
      }
    }
  });
  const locals = Array.from({ length: slots }, (_, slot) => `e${slot}`);
  const tail = slots === 0
    ? ['return finish(undefined, undefined, output, errors);']
    : [
      `if (slow !== undefined) return finish([${locals.join(', ')}], slow, output, errors);`,
      'const before = errors.length;',
      ...settleFast,
      'if (before > 0 && errors.length > before) sortErrors(errors);',
      'return Promise.resolve({ output, errors, skipped: false });',
    ];
  const source = [
    '"use strict";',
    'const { settle, fresh, valueMapKey, noEntry, noInverse, defer, finish, plainJson, sortErrors, NOT_FAST } = helpers;',
    ...bind,
    'return function run(record) {',
    'const output = {};',
    'const errors = [];',
    `let slow, v, k, m${locals.map((e) => `, ${e}`).join('')};`,
    ...body,
    ...tail,
    '};',
  ].join('\n');
  try {
    const factory = new Function('steps', 'helpers', source) as (steps: readonly Step[], helpers: Helpers) => Runner;
    return factory(steps, h);
  } catch (error) {
    // node --disallow-code-generation-from-strings: the loop does the same work.
    if (error instanceof EvalError) return undefined;
    throw error;
  }
}

function finisher(expressionSteps: readonly Step[]): Helpers['finish'] {
  const settleExpressions = (values: unknown[], slow: ReadonlyArray<Evaluated | undefined> | undefined, output: Record<string, unknown>, errors: MappingIssue[]): MapResult => {
    const before = errors.length;
    for (let slot = 0; slot < expressionSteps.length; slot += 1) {
      const step = expressionSteps[slot] as Step;
      const evaluated = slow?.[slot];
      if (evaluated === undefined) settle(step, values[slot], output, errors, undefined);
      else if (evaluated.error !== undefined) errors.push(evaluated.error);
      else settle(step, evaluated.value, output, errors, undefined);
    }
    if (before > 0 && errors.length > before) sortErrors(errors);
    return { output, errors, skipped: false };
  };
  return (values, slow, output, errors) => {
    if (values === undefined) return Promise.resolve({ output, errors, skipped: false });
    if (slow === undefined) return Promise.resolve(settleExpressions(values, undefined, output, errors));
    // Slots on the fast path are holes in `slow`; Promise.all turns them into undefined.
    return Promise.all(slow).then((results) => settleExpressions(values, results, output, errors));
  };
}

// Expression fields settle after the synchronous ones; restore field order for readers.
function sortErrors(errors: MappingIssue[]): void {
  errors.sort((a, b) => fieldIndexOf(a.path) - fieldIndexOf(b.path));
}

interface Evaluated {
  value?: unknown;
  error?: MappingIssue;
}

async function evaluate(step: Step, record: object, value: unknown): Promise<Evaluated> {
  try {
    const result = await (step.expression as jsonata.Expression).evaluate(record, { value });
    return { value: result !== null && typeof result === 'object' ? plainJson(result) : result };
  } catch (error) {
    const issue = expressionIssue(error, step.expressionAt, 'expression_failed');
    issue.message = `${step.name}: ${issue.message}`;
    return { error: issue };
  }
}

function noEntry(value: unknown): string {
  return `no valueMap entry for ${JSON.stringify(value)}`;
}

function noInverse(value: unknown): string {
  return `no valueMap entry maps to ${JSON.stringify(value)}`;
}

/** Writes a settled value, applying an inbound default and the required check. */
function settle(step: Step, value: unknown, output: Record<string, unknown>, errors: MappingIssue[], why: string | undefined): void {
  let result = value;
  if (!step.defaultBeforeTransform && (result === undefined || result === null) && step.hasDefault) result = fresh(step.defaultValue);
  if (result === undefined || result === null) {
    if (step.required) {
      errors.push({ path: step.at, code: 'required_missing', message: `${step.name}: ${why ?? 'no value'} and the field is required` });
      return;
    }
    if (result === undefined) return;
  }
  step.write(output, result);
}

// Object defaults are copied so no two outputs share (and can corrupt) one instance.
function fresh(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}
