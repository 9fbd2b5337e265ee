/**
 * Deep equality of JSON values for sync decisions. Null and undefined are the same "empty", at
 * the top and inside objects, because vendors omit empty fields as often as they send null.
 * Values with `toJSON` (Date) compare by their JSON form, as they will be stored and sent.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  const left = jsonForm(a);
  const right = jsonForm(b);
  if (left !== a || right !== b) return sameValue(left, right);
  if (typeof a !== 'object' || typeof b !== 'object') {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameValue(item, b[i]));
  }
  const l = a as Record<string, unknown>;
  const r = b as Record<string, unknown>;
  for (const key of new Set([...Object.keys(l), ...Object.keys(r)])) {
    if (!sameValue(l[key], r[key])) return false;
  }
  return true;
}

function jsonForm(value: unknown): unknown {
  const toJSON = typeof value === 'object' ? (value as { toJSON?: () => unknown }).toJSON : undefined;
  return typeof toJSON === 'function' ? toJSON.call(value) : value;
}
