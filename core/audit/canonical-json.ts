/**
 * JSON with object keys sorted at every depth, so equal data always gives equal text and
 * therefore equal hashes. Dates become ISO strings (any `toJSON` is honoured, as in
 * JSON.stringify); undefined properties are left out and undefined array items become null.
 * Throws a TypeError for what JSON cannot carry faithfully: non-finite numbers, bigints,
 * functions, symbols, Maps, Sets and cycles.
 *
 * @example canonicalJson({ b: 1, a: new Date(0) }) // '{"a":"1970-01-01T00:00:00.000Z","b":1}'
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set(), '');
}

function write(value: unknown, ancestors: Set<object>, path: string): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON: () => unknown }).toJSON(), ancestors, path);
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot hash the non-finite number at '${path || '$'}'`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`cannot hash a ${typeof value} at '${path || '$'}'`);
  }
  if (value === null) return 'null';
  // JSON.stringify would write these as {}, silently dropping their contents from the hash.
  if (value instanceof Map || value instanceof Set) throw new TypeError(`cannot hash a Map or Set at '${path || '$'}'`);
  if (ancestors.has(value)) throw new TypeError(`cannot hash a cycle at '${path || '$'}'`);
  ancestors.add(value);
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item, i) => (item === undefined ? 'null' : write(item, ancestors, `${path}[${i}]`))).join(',')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    // Code-unit order, which is what every other language's default string sort gives too.
    for (const key of Object.keys(record).sort()) {
      if (record[key] === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${write(record[key], ancestors, path ? `${path}.${key}` : key)}`);
    }
    text = `{${parts.join(',')}}`;
  }
  ancestors.delete(value);
  return text;
}
