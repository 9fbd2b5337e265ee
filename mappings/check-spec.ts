import { compileExpression } from './compile-expression.ts';
import { compileValueMap } from './compile-value-map.ts';
import { label } from './field-label.ts';
import { parseFieldPath, pathsOverlap } from './field-path.ts';
import type { PathSegment } from './field-path.ts';
import type { MappingIssue } from './mapping-issue.ts';
import type { FieldMapping, MappingSpec } from './mapping-spec-schema.ts';

/**
 * The checks that need no object schema: path syntax, expression syntax, what each direction
 * needs from each field, invertibility, clashing targets. Compiling runs these too.
 */
export function checkSpec(spec: MappingSpec): MappingIssue[] {
  const errors: MappingIssue[] = [];
  const outbound = spec.direction !== 'in';
  const inbound = spec.direction !== 'out';

  if (spec.match !== undefined) {
    for (const side of ['hub', 'remote'] as const) {
      const parsed = parseFieldPath(spec.match[side], `match.${side}`);
      if (!parsed.ok) errors.push(parsed.error);
    }
  }
  if (spec.filter !== undefined) {
    const compiled = compileExpression(spec.filter, 'filter');
    if (!compiled.ok) errors.push(compiled.error);
  }
  if (spec.direction === 'in' && spec.deletePolicy !== 'ignore') {
    errors.push({
      path: 'deletePolicy',
      code: 'not_applicable',
      message: `deletePolicy "${spec.deletePolicy}" needs a mapping that writes to the remote; this one is direction "in"`,
    });
  }

  const hubTargets: Array<{ index: number; segments: PathSegment[] }> = [];
  const remoteTargets: Array<{ index: number; segments: PathSegment[] }> = [];
  spec.fields.forEach((field, index) => {
    const at = `fields[${index}]`;
    const hub = parseFieldPath(field.hub, `${at}.hub`);
    const remote = parseFieldPath(field.remote, `${at}.remote`);
    if (!hub.ok) errors.push(hub.error);
    if (!remote.ok) errors.push(remote.error);
    for (const key of ['toRemote', 'toHub'] as const) {
      const text = field[key];
      if (text === undefined) continue;
      const compiled = compileExpression(text, `${at}.${key}`);
      if (!compiled.ok) errors.push(compiled.error);
    }
    errors.push(...transformIssues(spec, field, at));
    if (field.owner !== undefined && field.owner !== 'hub' && spec.direction === 'out') {
      errors.push({
        path: `${at}.owner`,
        code: 'not_applicable',
        message: `${label(field)}: owner "${field.owner}" needs inbound sync; this mapping is direction "out"`,
      });
    }
    if (inbound && hub.ok) clash(hubTargets, { index, segments: hub.segments }, 'hub', spec, errors);
    if (outbound && remote.ok) clash(remoteTargets, { index, segments: remote.segments }, 'remote', spec, errors);
  });
  return errors;
}

function transformIssues(spec: MappingSpec, field: FieldMapping, at: string): MappingIssue[] {
  const { toRemote, toHub, valueMap } = field;
  const name = label(field);
  const issues: MappingIssue[] = [];
  if (valueMap !== undefined && toRemote !== undefined && spec.direction !== 'in') {
    issues.push({
      path: `${at}.valueMap`,
      code: 'ambiguous_transform',
      message: `${name}: give either toRemote or valueMap for the outbound value, not both`,
    });
  }
  if (spec.direction === 'out' && toHub !== undefined && toRemote === undefined) {
    issues.push({
      path: `${at}.toHub`,
      code: 'direction_mismatch',
      message: `${name}: toHub is never used by a mapping with direction "out"; give toRemote instead`,
    });
  }
  if (spec.direction === 'in') {
    if (toRemote !== undefined && toHub === undefined) {
      issues.push({
        path: `${at}.toRemote`,
        code: 'direction_mismatch',
        message: `${name}: toRemote is never used by a mapping with direction "in"; give toHub instead`,
      });
    }
    if (valueMap !== undefined && toHub !== undefined) {
      issues.push({
        path: `${at}.valueMap`,
        code: 'ambiguous_transform',
        message: `${name}: give either toHub or valueMap for the inbound value, not both`,
      });
    }
  }
  if (spec.direction === 'both') {
    if (toRemote !== undefined && toHub === undefined) {
      issues.push({
        path: `${at}.toHub`,
        code: 'not_invertible',
        message: `${name}: a two-way mapping needs toHub to reverse toRemote`,
      });
    }
    if (toHub !== undefined && toRemote === undefined && valueMap === undefined) {
      issues.push({
        path: `${at}.toRemote`,
        code: 'not_invertible',
        message: `${name}: a two-way mapping needs toRemote to go with toHub`,
      });
    }
  }
  const reversesValueMap = valueMap !== undefined && toHub === undefined && spec.direction !== 'out';
  if (reversesValueMap) {
    const { collisions } = compileValueMap(valueMap);
    for (const { remote, hubKeys } of collisions) {
      issues.push({
        path: `${at}.valueMap`,
        code: 'not_invertible',
        message: `${name}: valueMap sends ${hubKeys.map((k) => JSON.stringify(k)).join(' and ')} to ${JSON.stringify(remote)}, `
          + 'so it cannot be reversed for inbound values; make it one-to-one or add toHub',
      });
    }
  }
  return issues;
}

function clash(
  seen: Array<{ index: number; segments: PathSegment[] }>,
  target: { index: number; segments: PathSegment[] },
  side: 'hub' | 'remote',
  spec: MappingSpec,
  errors: MappingIssue[],
): void {
  const earlier = seen.find((s) => pathsOverlap(s.segments, target.segments));
  if (earlier !== undefined) {
    const other = spec.fields[earlier.index] as FieldMapping;
    const mine = spec.fields[target.index] as FieldMapping;
    const same = other[side] === mine[side];
    errors.push({
      path: `fields[${target.index}].${side}`,
      code: 'duplicate_target',
      message: `${label(mine)}: ${side} path "${mine[side]}" ${same ? 'is also written by' : 'overlaps with'} `
        + `fields[${earlier.index}] (${label(other)})`,
    });
  }
  seen.push(target);
}
