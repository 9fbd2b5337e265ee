/**
 * True when `current` already holds `wanted`: equal primitives (null and absent alike), objects
 * holding at least the wanted keys with equal values, arrays equal item by item.
 */
export function holds(current: unknown, wanted: unknown): boolean {
  if (wanted === null || wanted === undefined) return current === null || current === undefined;
  if (Array.isArray(wanted)) return Array.isArray(current) && current.length === wanted.length && wanted.every((item, i) => holds(current[i], item));
  if (typeof wanted === 'object') {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return false;
    return Object.entries(wanted).every(([key, value]) => holds((current as Record<string, unknown>)[key], value));
  }
  return current === wanted;
}

/** The keys of `data` whose values `record` does not already hold. */
export function fieldsToWrite(data: Readonly<Record<string, unknown>>, record: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(data).filter((key) => !holds(record[key], data[key]));
}
