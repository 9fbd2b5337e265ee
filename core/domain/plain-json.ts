/**
 * A deep copy of `value` as JSON would carry it: Dates become ISO strings, undefined object
 * members are dropped (undefined array items become null), anything with `toJSON` is converted.
 * The same result as `JSON.parse(JSON.stringify(value))`, without building the text, which
 * matters when thousands of events or audit entries are written at once.
 */
export function plainJson<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return null;
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return copy((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) {
      const item = copy(value[i]);
      out[i] = item === undefined ? null : item;
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copy((value as Record<string, unknown>)[key]);
    if (item !== undefined) out[key] = item;
  }
  return out;
}
