type Segment = string | number;

const cache = new Map<string, Segment[]>();

/** The segments of a mapping path: keys joined by dots, `[n]` for array indexes (`Line[0].Amount`). */
export function pathSegments(path: string): Segment[] {
  let segments = cache.get(path);
  if (segments !== undefined) return segments;
  segments = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (match === null) {
      segments.push(part);
      continue;
    }
    if (match[1] !== '') segments.push(match[1]!);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  if (cache.size > 5000) cache.clear();
  cache.set(path, segments);
  return segments;
}

/** The value at a mapping path, or undefined. */
export function readPath(record: unknown, path: string): unknown {
  let cur: unknown = record;
  for (const segment of pathSegments(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[segment];
  }
  return cur;
}

/** Writes a value at a mapping path, creating objects and arrays on the way. */
export function writePath(record: Record<string, unknown>, path: string, value: unknown): void {
  const segments = pathSegments(path);
  let cur: Record<string | number, unknown> = record;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) {
      cur[segment] = value;
      return;
    }
    const next = segments[i + 1];
    if (cur[segment] === null || typeof cur[segment] !== 'object') cur[segment] = typeof next === 'number' ? [] : {};
    cur = cur[segment] as Record<string | number, unknown>;
  });
}

/** A new record holding only the given paths of `record` (those with a value). */
export function pickPaths(record: unknown, paths: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const value = readPath(record, path);
    if (value !== undefined) writePath(out, path, value);
  }
  return out;
}
