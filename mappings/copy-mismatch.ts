import type { FieldSchema } from './object-schema.ts';

/**
 * Explains why copying a value of the `source` field unchanged into the `target` field could
 * produce something the target does not accept; undefined when the copy is always safe.
 */
export function copyMismatch(source: FieldSchema, target: FieldSchema): string | undefined {
  const widened = source.type === target.type
    || (source.type === 'integer' && target.type === 'number')
    || (source.type === 'date' && target.type === 'string');
  if (!widened) return `${source.type} cannot be copied into ${target.type}`;
  if (target.enum !== undefined) {
    if (source.enum === undefined) {
      return `target accepts only ${list(target.enum)} but the source is unconstrained; add a valueMap`;
    }
    const outside = source.enum.filter((v) => !target.enum?.includes(v));
    if (outside.length > 0) return `source values ${list(outside)} are not accepted by the target (${list(target.enum)})`;
  }
  if (source.type === 'array' && source.items !== undefined && target.items !== undefined) {
    const inner = copyMismatch(source.items, target.items);
    if (inner !== undefined) return `array items: ${inner}`;
  }
  if (source.type === 'object' && source.properties !== undefined && target.properties !== undefined) {
    for (const [key, field] of Object.entries(source.properties)) {
      const other = target.properties[key];
      if (other === undefined) return `target object has no field "${key}"`;
      const inner = copyMismatch(field, other);
      if (inner !== undefined) return `"${key}": ${inner}`;
    }
  }
  return undefined;
}

function list(values: ReadonlyArray<unknown>): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}
