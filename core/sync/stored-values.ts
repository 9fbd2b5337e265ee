import type { StoredValue } from './sync-link.ts';

/** A path → value map as pairs, sorted by path, for storing (paths hold dots, which field names may not). */
export function toStoredValues(values: Readonly<Record<string, unknown>>): StoredValue[] {
  return Object.keys(values)
    .sort()
    .map((path) => ({ path, value: values[path] }));
}

/** Pairs back into a path → value map. */
export function fromStoredValues(pairs: readonly StoredValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { path, value } of pairs ?? []) out[path] = value;
  return out;
}
