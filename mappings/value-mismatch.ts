import type { FieldSchema } from './object-schema.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Explains why a literal value does not fit a field; undefined when it fits. Null always fits. */
export function valueMismatch(value: unknown, schema: FieldSchema): string | undefined {
  if (value === null) return undefined;
  const shown = JSON.stringify(value);
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return `${shown} is not a string`;
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${shown} is not a number`;
      break;
    case 'integer':
      if (!Number.isInteger(value)) return `${shown} is not an integer`;
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return `${shown} is not a boolean`;
      break;
    case 'date':
      if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) {
        return `${shown} is not an ISO 8601 date`;
      }
      break;
    case 'array': {
      if (!Array.isArray(value)) return `${shown} is not an array`;
      if (schema.items !== undefined) {
        for (const item of value) {
          const inner = valueMismatch(item, schema.items);
          if (inner !== undefined) return `item: ${inner}`;
        }
      }
      return undefined;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return `${shown} is not an object`;
      if (schema.properties !== undefined) {
        for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
          const field = Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
          if (field === undefined) return `object has no field "${key}"`;
          const problem = valueMismatch(inner, field);
          if (problem !== undefined) return `"${key}": ${problem}`;
        }
      }
      return undefined;
    }
  }
  if (schema.enum !== undefined && !schema.enum.includes(value as string | number | boolean)) {
    return `${shown} is not one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return undefined;
}
