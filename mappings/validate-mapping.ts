import { checkSpec } from './check-spec.ts';
import { hubKeyValue } from './compile-value-map.ts';
import { copyMismatch } from './copy-mismatch.ts';
import { label } from './field-label.ts';
import { parseFieldPath } from './field-path.ts';
import { fieldIndexOf } from './issue-path.ts';
import type { MappingIssue } from './mapping-issue.ts';
import { mappingSpecSchema } from './mapping-spec-schema.ts';
import type { FieldMapping, MappingSpec } from './mapping-spec-schema.ts';
import type { FieldSchema, ObjectSchema } from './object-schema.ts';
import { schemaAtPath } from './schema-at-path.ts';
import type { SchemaLookup } from './schema-at-path.ts';
import { valueMismatch } from './value-mismatch.ts';
import { zodIssues } from './zod-issues.ts';

/** The object schemas of the two sides a mapping connects. */
export interface MappingSchemas {
  hub: ObjectSchema;
  remote: ObjectSchema;
}

/** A spec ready to store and compile, or every reason it is not. */
export type MappingValidation = { ok: true; spec: MappingSpec } | { ok: false; errors: MappingIssue[] };

/**
 * Checks a spec (parsed JSON/YAML or a request body) against its shape and against both sides'
 * object schemas: unknown paths, type mismatches on plain copies, read-only targets, value maps
 * and defaults that do not fit, invalid JSONata, non-invertible fields, clashing targets.
 * Expressions are not type-checked: their result type is unknown until they run.
 */
export function validateMapping(input: unknown, schemas: MappingSchemas): MappingValidation {
  const parsed = mappingSpecSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: zodIssues(parsed.error) };
  const spec = parsed.data;
  const errors = [...checkSpec(spec), ...schemaIssues(spec, schemas)];
  // Spec order: top-level settings first, then fields by index.
  errors.sort((a, b) => fieldIndexOf(a.path) - fieldIndexOf(b.path));
  return errors.length === 0 ? { ok: true, spec } : { ok: false, errors };
}

function schemaIssues(spec: MappingSpec, schemas: MappingSchemas): MappingIssue[] {
  const errors: MappingIssue[] = [];
  const outbound = spec.direction !== 'in';
  const inbound = spec.direction !== 'out';
  const lookup = (side: 'hub' | 'remote', text: string, where: string): Exclude<SchemaLookup, { kind: 'unknown' }> | undefined => {
    const parsed = parseFieldPath(text, where);
    if (!parsed.ok) return undefined; // already reported by checkSpec
    const found = schemaAtPath(schemas[side], parsed.segments);
    if (found.kind === 'unknown') {
      errors.push({ path: where, code: 'unknown_path', message: `${side} ${spec[side === 'hub' ? 'hubObject' : 'remoteObject']}: ${found.message}` });
      return undefined;
    }
    return found;
  };

  if (spec.match !== undefined) {
    for (const side of ['hub', 'remote'] as const) {
      const found = lookup(side, spec.match[side], `match.${side}`);
      if (found?.kind === 'field' && (found.schema.type === 'object' || found.schema.type === 'array')) {
        errors.push({ path: `match.${side}`, code: 'type_mismatch', message: `records are matched on a single value; "${spec.match[side]}" is ${found.schema.type === 'array' ? 'an array' : 'an object'}` });
      }
    }
  }

  spec.fields.forEach((field, index) => {
    const at = `fields[${index}]`;
    const hub = lookup('hub', field.hub, `${at}.hub`);
    const remote = lookup('remote', field.remote, `${at}.remote`);
    if (outbound && remote?.readOnly === true) {
      errors.push({ path: `${at}.remote`, code: 'read_only_target', message: `${label(field)}: ${spec.remoteObject} computes "${field.remote}"; it can be read (direction "in") but not written` });
    }
    if (inbound && hub?.readOnly === true) {
      errors.push({ path: `${at}.hub`, code: 'read_only_target', message: `${label(field)}: ${spec.hubObject} computes "${field.hub}"; a mapping cannot write it` });
    }
    const hubField = hub?.kind === 'field' ? hub.schema : undefined;
    const remoteField = remote?.kind === 'field' ? remote.schema : undefined;

    if (hubField !== undefined && remoteField !== undefined) {
      const plainOut = outbound && field.toRemote === undefined && field.valueMap === undefined;
      const plainIn = inbound && field.toHub === undefined && field.valueMap === undefined;
      const outProblem = plainOut ? copyMismatch(hubField, remoteField) : undefined;
      const inProblem = plainIn ? copyMismatch(remoteField, hubField) : undefined;
      if (outProblem !== undefined) {
        errors.push({ path: at, code: 'type_mismatch', message: `${label(field)}: hub → remote: ${outProblem}; use toRemote or valueMap to convert` });
      }
      if (inProblem !== undefined) {
        errors.push({ path: at, code: 'type_mismatch', message: `${label(field)}: remote → hub: ${inProblem}; use toHub or valueMap to convert` });
      }
    }
    if (field.valueMap !== undefined) errors.push(...valueMapIssues(field, at, hubField, remoteField));
    if (field.default !== undefined && hubField !== undefined) {
      const problem = valueMismatch(field.default, hubField);
      if (problem !== undefined) {
        errors.push({ path: `${at}.default`, code: 'type_mismatch', message: `${label(field)}: default is a hub value and ${problem} (hub field is ${hubField.type})` });
      }
    }
  });
  return errors;
}

function valueMapIssues(
  field: FieldMapping,
  at: string,
  hubField: FieldSchema | undefined,
  remoteField: FieldSchema | undefined,
): MappingIssue[] {
  const issues: MappingIssue[] = [];
  for (const [key, remoteValue] of Object.entries(field.valueMap ?? {})) {
    if (hubField !== undefined) {
      const problem = valueMismatch(hubKeyValue(key, hubField), hubField);
      if (problem !== undefined) {
        issues.push({ path: `${at}.valueMap`, code: 'type_mismatch', message: `${label(field)}: key ${JSON.stringify(key)} is not a hub value: ${problem}` });
      }
    }
    if (remoteField !== undefined) {
      const problem = valueMismatch(remoteValue, remoteField);
      if (problem !== undefined) {
        issues.push({ path: `${at}.valueMap.${key}`, code: 'type_mismatch', message: `${label(field)}: value for ${JSON.stringify(key)} does not fit remote "${field.remote}": ${problem}` });
      }
    }
  }
  return issues;
}
