import type { PathSegment } from './field-path.ts';
import type { FieldSchema, ObjectSchema } from './object-schema.ts';

/** What a schema says about a path: a typed field, an open area, or nothing. */
export type SchemaLookup =
  | { kind: 'field'; schema: FieldSchema; readOnly: boolean }
  | { kind: 'open'; readOnly: boolean }
  | { kind: 'unknown'; message: string };

/** Walks an object schema along a parsed path. A read-only ancestor makes the whole subtree read-only. */
export function schemaAtPath(root: ObjectSchema, segments: readonly PathSegment[]): SchemaLookup {
  let properties: Readonly<Record<string, FieldSchema>> | undefined = root.properties;
  let current: FieldSchema | undefined;
  let readOnly = false;
  let walked = '';
  for (const segment of segments) {
    if (current !== undefined) {
      readOnly ||= current.readOnly === true;
      if (typeof segment === 'number') {
        if (current.type !== 'array') {
          return { kind: 'unknown', message: `"${walked}" is ${article(current.type)}, not an array` };
        }
        walked += `[${segment}]`;
        if (current.items === undefined) return { kind: 'open', readOnly };
        current = current.items;
        continue;
      }
      if (current.type === 'array') {
        return { kind: 'unknown', message: `"${walked}" is an array; index it as ${walked}[0]` };
      }
      if (current.type !== 'object') {
        return { kind: 'unknown', message: `"${walked}" is ${article(current.type)} and has no "${segment}"` };
      }
      if (current.properties === undefined) return { kind: 'open', readOnly };
      properties = current.properties;
    } else if (typeof segment === 'number') {
      return { kind: 'unknown', message: 'a path starts with a key' };
    }
    const key = segment as string;
    const next: FieldSchema | undefined = properties !== undefined && Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (next === undefined) {
      const known = properties === undefined ? [] : Object.keys(properties);
      const where = walked === '' ? 'the object' : `"${walked}"`;
      return { kind: 'unknown', message: `${where} has no field "${key}"${suggest(key, known)}` };
    }
    walked = walked === '' ? key : `${walked}.${key}`;
    current = next;
  }
  if (current === undefined) return { kind: 'unknown', message: 'empty path' };
  return { kind: 'field', schema: current, readOnly: readOnly || current.readOnly === true };
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function suggest(key: string, known: readonly string[]): string {
  const lower = key.toLowerCase();
  const close = known.find((k) => k.toLowerCase() === lower);
  if (close !== undefined) return `; did you mean "${close}"?`;
  return known.length > 0 && known.length <= 40 ? ` (known: ${known.join(', ')})` : '';
}
