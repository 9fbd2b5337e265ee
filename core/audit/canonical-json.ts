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
  return write(value, new Set(), []);
}

/** Where a value sits, for error messages: built only when one is thrown. */
type Segments = (string | number)[];

function pathOf(segments: Segments): string {
  let path = '';
  for (const s of segments) path = typeof s === 'number' ? `${path}[${s}]` : path ? `${path}.${s}` : s;
  return path || '$';
}

// Object keys repeat across entries (field names); their quoted form is kept, up to a bound.
const quotedKeys = new Map<string, string>();

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

function write(value: unknown, ancestors: Set<object>, segments: Segments): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON: () => unknown }).toJSON(), ancestors, segments);
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot hash the non-finite number at '${pathOf(segments)}'`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`cannot hash a ${typeof value} at '${pathOf(segments)}'`);
  }
  if (value === null) return 'null';
  // JSON.stringify would write these as {}, silently dropping their contents from the hash.
  if (value instanceof Map || value instanceof Set) throw new TypeError(`cannot hash a Map or Set at '${pathOf(segments)}'`);
  if (ancestors.has(value)) throw new TypeError(`cannot hash a cycle at '${pathOf(segments)}'`);
  ancestors.add(value);
  let text: string;
  if (Array.isArray(value)) {
    text = '[';
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      segments.push(i);
      text += `${i > 0 ? ',' : ''}${item === undefined ? 'null' : write(item, ancestors, segments)}`;
      segments.pop();
    }
    text += ']';
  } else {
    const record = value as Record<string, unknown>;
    text = '{';
    let first = true;
    // Code-unit order, which is what every other language's default string sort gives too.
    for (const key of Object.keys(record).sort()) {
      const item = record[key];
      if (item === undefined) continue;
      segments.push(key);
      text += `${first ? '' : ','}${quoteKey(key)}:${write(item, ancestors, segments)}`;
      segments.pop();
      first = false;
    }
    text += '}';
  }
  ancestors.delete(value);
  return text;
}
