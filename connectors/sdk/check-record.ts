import type { FieldSchema, ObjectSchema } from '../../mappings/index.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Problems of a record against an object schema: wrong types, values outside an enum, missing
 * required fields. Fields the schema does not list are allowed (vendors add fields), as are nulls.
 * @example checkRecord(issueSchema, sample) // [] when the sample fits
 */
export function checkRecord(schema: ObjectSchema, record: unknown): string[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return ['the record is not an object'];
  return checkProperties(schema.properties, record as Record<string, unknown>, '');
}

function checkProperties(properties: Readonly<Record<string, FieldSchema>>, value: Record<string, unknown>, at: string): string[] {
  const problems: string[] = [];
  for (const [name, field] of Object.entries(properties)) {
    const path = at === '' ? name : `${at}.${name}`;
    const v = value[name];
    if (v === undefined) {
      if (field.required === true) problems.push(`${path}: required but missing`);
      continue;
    }
    problems.push(...checkValue(field, v, path));
  }
  return problems;
}

function checkValue(field: FieldSchema, v: unknown, path: string): string[] {
  if (v === null) return [];
  const wrong = (what: string) => [`${path}: expected ${what}, got ${Array.isArray(v) ? 'an array' : typeof v}`];
  switch (field.type) {
    case 'string':
      if (typeof v !== 'string') return wrong('a string');
      break;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return wrong('a number');
      break;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) return wrong('an integer');
      break;
    case 'boolean':
      if (typeof v !== 'boolean') return wrong('a boolean');
      break;
    case 'date':
      if (typeof v !== 'string' || !ISO_DATE.test(v) || Number.isNaN(Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v))) return wrong('an ISO 8601 date');
      break;
    case 'array':
      if (!Array.isArray(v)) return wrong('an array');
      return field.items === undefined ? [] : v.flatMap((item, i) => checkValue(field.items!, item, `${path}[${i}]`));
    case 'object':
      if (typeof v !== 'object' || Array.isArray(v)) return wrong('an object');
      return field.properties === undefined ? [] : checkProperties(field.properties, v as Record<string, unknown>, path);
  }
  if (field.enum !== undefined && !field.enum.includes(v as string | number | boolean)) {
    return [`${path}: ${JSON.stringify(v)} is not one of ${field.enum.map((e) => JSON.stringify(e)).join(', ')}`];
  }
  return [];
}
