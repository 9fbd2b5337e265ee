import type jsonata from 'jsonata';
import { checkSpec } from './check-spec.ts';
import { compileExpression, expressionIssue, fastExpression } from './compile-expression.ts';
import { NOT_FAST } from './compile-fast-expression.ts';
import type { FastExpression } from './compile-fast-expression.ts';
import { compileValueMap } from './compile-value-map.ts';
import { label } from './field-label.ts';
import { parseFieldPath } from './field-path.ts';
import type { PathSegment } from './field-path.ts';
import { generatedPathReader, generatedPathWriter } from './generated-path-access.ts';
import { hashMapped } from './hash-mapped.ts';
import { mappingSpecSchema } from './mapping-spec-schema.ts';
import type { FieldMapping, MappingSpec, MappingSpecInput } from './mapping-spec-schema.ts';
import type { ObjectSchema } from './object-schema.ts';
import { schemaAtPath } from './schema-at-path.ts';
import { COPY, EXPRESSION, FORWARD, INVERSE, createRunner } from './step-runner.ts';
import type { MapResult, Runner, Step } from './step-runner.ts';

export type { MapResult } from './step-runner.ts';

/** A spec turned into functions; build it once per spec version and reuse it for every record. */
export interface CompiledMapping {
  readonly spec: MappingSpec;
  /** Content hash of the spec, usable as a cache key or a version fingerprint. */
  readonly hash: string;
  /** Maps a hub record to the remote shape (directions `out` and `both`). */
  toRemote(hubRecord: unknown): Promise<MapResult>;
  /** Maps a remote record, as the vendor library returns it, to the hub shape (`in` and `both`). */
  toHub(remoteRecord: unknown): Promise<MapResult>;
}

/** Options for compiling. */
export interface CompileOptions {
  /**
   * The hub object schema. Lets a reversed valueMap return hub values in the hub field's type
   * (`"3"` → 3, `"true"` → true); without it, reversed values are the valueMap's text keys.
   */
  hubSchema?: ObjectSchema;
  /**
   * Runs expressions in the common JSONata subset as compiled JavaScript, falling back to JSONata
   * per record whenever the compiled form cannot vouch for the result (default true). The
   * results are the same either way; `false` sends every expression to JSONata.
   */
  fastExpressions?: boolean;
}

interface Plan {
  direction: 'out' | 'in';
  run: Runner;
  filter: jsonata.Expression | undefined;
  filterFast: FastExpression | undefined;
}

const FILTER_PREFIX = '$boolean((';
// The variable each kind of expression is evaluated with; the fast path is compiled for it.
const FIELD_BINDING = 'value';
const FILTER_BINDING = 'direction';

/**
 * Compiles a spec. Plain paths, value maps and expressions in the common JSONata subset run
 * synchronously (compile-fast-expression.ts); other expressions, and records the compiled form
 * cannot vouch for, are evaluated by JSONata and awaited. Throws a TypeError when the spec fails the
 * schema-free checks, because compiling an unvalidated spec is a bug in the caller.
 */
export function compileMapping(input: MappingSpecInput, options: CompileOptions = {}): CompiledMapping {
  return compileMappingWith(input, options, true);
}

/**
 * `compileMapping`, choosing the runner: `generate` false runs the steps as a loop rather than as
 * generated code (the results are identical; tests compare the two).
 */
export function compileMappingWith(input: MappingSpecInput, options: CompileOptions, generate: boolean): CompiledMapping {
  const spec = mappingSpecSchema.parse(input);
  const problems = checkSpec(spec);
  if (problems.length > 0) {
    throw new TypeError(`compileMapping: invalid spec "${spec.name}": ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
  const fast = options.fastExpressions !== false;
  const filter = spec.filter === undefined ? undefined : mustCompile(`${FILTER_PREFIX}${spec.filter}))`);
  const filterFast = filter !== undefined && fast ? fastExpression(filter, FILTER_BINDING) : undefined;
  const plan = (direction: 'out' | 'in', steps: Step[]): Plan => ({ direction, run: createRunner(steps, generate), filter, filterFast });
  const out = spec.direction === 'in' ? undefined : plan('out', spec.fields.map((f, i) => outStep(f, i, fast)));
  const inbound = spec.direction === 'out' ? undefined : plan('in', spec.fields.map((f, i) => inStep(f, i, options.hubSchema, fast)));
  return {
    spec,
    hash: hashMapped(spec),
    toRemote: (record) => apply(out, record, spec),
    toHub: (record) => apply(inbound, record, spec),
  };
}

function outStep(field: FieldMapping, index: number, fast: boolean): Step {
  const step = baseStep(field, index, field.hub, field.remote, true);
  if (field.toRemote !== undefined) {
    step.kind = EXPRESSION;
    step.expression = mustCompile(field.toRemote);
    if (fast) step.fast = fastExpression(step.expression, FIELD_BINDING);
    step.expressionAt = `${step.at}.toRemote`;
  } else if (field.valueMap !== undefined) {
    step.kind = FORWARD;
    step.forward = compileValueMap(field.valueMap).forward;
  }
  return step;
}

function inStep(field: FieldMapping, index: number, hubSchema: ObjectSchema | undefined, fast: boolean): Step {
  const step = baseStep(field, index, field.remote, field.hub, false);
  if (field.toHub !== undefined) {
    step.kind = EXPRESSION;
    step.expression = mustCompile(field.toHub);
    if (fast) step.fast = fastExpression(step.expression, FIELD_BINDING);
    step.expressionAt = `${step.at}.toHub`;
  } else if (field.valueMap !== undefined) {
    const found = hubSchema === undefined ? undefined : schemaAtPath(hubSchema, segmentsOf(field.hub));
    step.kind = INVERSE;
    step.inverse = compileValueMap(field.valueMap, found?.kind === 'field' ? found.schema : undefined).inverse;
  }
  return step;
}

function baseStep(field: FieldMapping, index: number, from: string, to: string, defaultBeforeTransform: boolean): Step {
  return {
    at: `fields[${index}]`,
    name: label(field),
    read: generatedPathReader(segmentsOf(from)),
    write: generatedPathWriter(segmentsOf(to)),
    kind: COPY,
    forward: undefined,
    inverse: undefined,
    expression: undefined,
    fast: undefined,
    expressionAt: '',
    hasDefault: field.default !== undefined,
    defaultValue: field.default,
    defaultBeforeTransform,
    required: field.required === true,
  };
}

function segmentsOf(path: string): PathSegment[] {
  const parsed = parseFieldPath(path, '');
  if (!parsed.ok) throw new TypeError(`compileMapping: ${parsed.error.message}`);
  return parsed.segments;
}

function mustCompile(text: string): jsonata.Expression {
  const compiled = compileExpression(text, '');
  if (!compiled.ok) throw new TypeError(`compileMapping: ${compiled.error.message}`);
  return compiled.expression;
}

function apply(plan: Plan | undefined, record: unknown, spec: MappingSpec): Promise<MapResult> {
  if (plan === undefined) {
    const wanted = spec.direction === 'in' ? 'toHub' : 'toRemote';
    return Promise.resolve({
      output: undefined,
      errors: [{ path: 'direction', code: 'not_applicable', message: `mapping "${spec.name}" has direction "${spec.direction}"; use ${wanted}` }],
      skipped: false,
    });
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return Promise.resolve({
      output: undefined,
      errors: [{ path: '', code: 'invalid_record', message: `expected a record object, got ${record === null ? 'null' : Array.isArray(record) ? 'an array' : typeof record}` }],
      skipped: false,
    });
  }
  if (plan.filter === undefined) return plan.run(record);
  if (plan.filterFast !== undefined) {
    const pass = plan.filterFast(record, plan.direction);
    if (pass !== NOT_FAST) return pass === true ? plan.run(record) : Promise.resolve({ output: undefined, errors: [], skipped: true });
  }
  return filtered(plan, plan.filter, record);
}

async function filtered(plan: Plan, filter: jsonata.Expression, record: object): Promise<MapResult> {
  let pass: unknown;
  try {
    pass = await filter.evaluate(record, { direction: plan.direction });
  } catch (error) {
    const issue = expressionIssue(error, 'filter', 'filter_failed');
    if (issue.position !== undefined) issue.position = Math.max(0, issue.position - FILTER_PREFIX.length);
    return { output: undefined, errors: [issue], skipped: false };
  }
  if (pass !== true) return { output: undefined, errors: [], skipped: true };
  return plan.run(record);
}
