import type jsonata from 'jsonata';
import { checkSpec } from './check-spec.ts';
import { compileExpression, expressionIssue } from './compile-expression.ts';
import { compileValueMap, valueMapKey } from './compile-value-map.ts';
import { label } from './field-label.ts';
import { parseFieldPath, pathReader, pathWriter } from './field-path.ts';
import type { PathSegment } from './field-path.ts';
import { hashMapped } from './hash-mapped.ts';
import { fieldIndexOf } from './issue-path.ts';
import type { MappingIssue } from './mapping-issue.ts';
import { mappingSpecSchema } from './mapping-spec-schema.ts';
import type { FieldMapping, MappingSpec, MappingSpecInput } from './mapping-spec-schema.ts';
import type { ObjectSchema } from './object-schema.ts';
import { plainJson } from './plain-json.ts';
import { schemaAtPath } from './schema-at-path.ts';

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
}

const COPY = 0;
const FORWARD = 1;
const INVERSE = 2;
const EXPRESSION = 3;

interface Step {
  at: string;
  name: string;
  read: (record: unknown) => unknown;
  write: (output: Record<string, unknown>, value: unknown) => void;
  kind: typeof COPY | typeof FORWARD | typeof INVERSE | typeof EXPRESSION;
  forward: ReadonlyMap<string, unknown> | undefined;
  inverse: ReadonlyMap<unknown, unknown> | undefined;
  expression: jsonata.Expression | undefined;
  expressionAt: string;
  hasDefault: boolean;
  defaultValue: unknown;
  // Defaults are hub values: they stand in for the source outbound and for the result inbound.
  defaultBeforeTransform: boolean;
  required: boolean;
}

interface Plan {
  direction: 'out' | 'in';
  steps: Step[];
  filter: jsonata.Expression | undefined;
}

const FILTER_PREFIX = '$boolean((';

/**
 * Compiles a spec. Plain paths and value maps run synchronously; only fields with a JSONata
 * expression (and a filter) are awaited. Throws a TypeError when the spec fails the
 * schema-free checks, because compiling an unvalidated spec is a bug in the caller.
 */
export function compileMapping(input: MappingSpecInput, options: CompileOptions = {}): CompiledMapping {
  const spec = mappingSpecSchema.parse(input);
  const problems = checkSpec(spec);
  if (problems.length > 0) {
    throw new TypeError(`compileMapping: invalid spec "${spec.name}": ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
  const filter = spec.filter === undefined ? undefined : mustCompile(`${FILTER_PREFIX}${spec.filter}))`);
  const out: Plan | undefined = spec.direction === 'in' ? undefined : { direction: 'out', steps: spec.fields.map((f, i) => outStep(f, i)), filter };
  const inbound: Plan | undefined = spec.direction === 'out' ? undefined : { direction: 'in', steps: spec.fields.map((f, i) => inStep(f, i, options.hubSchema)), filter };
  return {
    spec,
    hash: hashMapped(spec),
    toRemote: (record) => apply(out, record, spec),
    toHub: (record) => apply(inbound, record, spec),
  };
}

function outStep(field: FieldMapping, index: number): Step {
  const step = baseStep(field, index, field.hub, field.remote, true);
  if (field.toRemote !== undefined) {
    step.kind = EXPRESSION;
    step.expression = mustCompile(field.toRemote);
    step.expressionAt = `${step.at}.toRemote`;
  } else if (field.valueMap !== undefined) {
    step.kind = FORWARD;
    step.forward = compileValueMap(field.valueMap).forward;
  }
  return step;
}

function inStep(field: FieldMapping, index: number, hubSchema: ObjectSchema | undefined): Step {
  const step = baseStep(field, index, field.remote, field.hub, false);
  if (field.toHub !== undefined) {
    step.kind = EXPRESSION;
    step.expression = mustCompile(field.toHub);
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
    read: pathReader(segmentsOf(from)),
    write: pathWriter(segmentsOf(to)),
    kind: COPY,
    forward: undefined,
    inverse: undefined,
    expression: undefined,
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
  return plan.filter === undefined ? run(plan.steps, record) : filtered(plan, plan.filter, record);
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
  return run(plan.steps, record);
}

function run(steps: readonly Step[], record: object): Promise<MapResult> {
  const output: Record<string, unknown> = {};
  const errors: MappingIssue[] = [];
  let pending: Array<Promise<Evaluated>> | undefined;
  for (const step of steps) {
    let value = step.read(record);
    if (step.defaultBeforeTransform && (value === undefined || value === null) && step.hasDefault) value = fresh(step.defaultValue);
    switch (step.kind) {
      case COPY:
        settle(step, value, output, errors, undefined);
        break;
      case FORWARD: {
        const key = valueMapKey(value);
        const forward = step.forward as ReadonlyMap<string, unknown>;
        if (value === undefined || value === null) settle(step, value, output, errors, undefined);
        else if (key !== undefined && forward.has(key)) settle(step, forward.get(key), output, errors, undefined);
        else settle(step, undefined, output, errors, `no valueMap entry for ${JSON.stringify(value)}`);
        break;
      }
      case INVERSE: {
        const inverse = step.inverse as ReadonlyMap<unknown, unknown>;
        if (inverse.has(value)) settle(step, inverse.get(value), output, errors, undefined);
        else if (value === undefined || value === null) settle(step, value, output, errors, undefined);
        else settle(step, undefined, output, errors, `no valueMap entry maps to ${JSON.stringify(value)}`);
        break;
      }
      case EXPRESSION:
        (pending ??= []).push(evaluate(step, record, value));
        break;
    }
  }
  if (pending === undefined) return Promise.resolve({ output, errors, skipped: false });
  return Promise.all(pending).then((results) => {
    const before = errors.length;
    for (const result of results) {
      if (result.error !== undefined) errors.push(result.error);
      else settle(result.step, result.value, output, errors, undefined);
    }
    // Expression fields settle after the synchronous ones; restore field order for readers.
    if (before > 0 && errors.length > before) errors.sort((a, b) => fieldIndexOf(a.path) - fieldIndexOf(b.path));
    return { output, errors, skipped: false };
  });
}

interface Evaluated {
  step: Step;
  value?: unknown;
  error?: MappingIssue;
}

async function evaluate(step: Step, record: object, value: unknown): Promise<Evaluated> {
  try {
    const result = await (step.expression as jsonata.Expression).evaluate(record, { value });
    return { step, value: result !== null && typeof result === 'object' ? plainJson(result) : result };
  } catch (error) {
    const issue = expressionIssue(error, step.expressionAt, 'expression_failed');
    issue.message = `${step.name}: ${issue.message}`;
    return { step, error: issue };
  }
}

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
