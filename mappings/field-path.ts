import type { MappingIssue } from './mapping-issue.ts';

/** One step of a field path: an object key, or a number for an array index. */
export type PathSegment = string | number;

const MAX_INDEX = 9_999;
const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Parses `fields.summary`, `Line[0].Amount`, `labels[2]`. Keys are separated by dots; `[n]`
 * indexes an array. `labels.0` means the object key "0", never an index, so the two readings
 * cannot be confused.
 */
export function parseFieldPath(
  text: string,
  where: string,
): { ok: true; segments: PathSegment[] } | { ok: false; error: MappingIssue } {
  const fail = (message: string): { ok: false; error: MappingIssue } => ({
    ok: false,
    error: { path: where, code: 'invalid_path', message: `"${text}": ${message}` },
  });
  const segments: PathSegment[] = [];
  let i = 0;
  let expectKey = true;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '[') {
      if (segments.length === 0) return fail('a path starts with a key');
      const close = text.indexOf(']', i);
      const digits = close === -1 ? '' : text.slice(i + 1, close);
      if (!/^(0|[1-9]\d*)$/.test(digits)) return fail(`expected an array index like [0] at ${i}`);
      const index = Number(digits);
      if (index > MAX_INDEX) return fail(`array index ${index} is larger than ${MAX_INDEX}`);
      segments.push(index);
      i = close + 1;
      expectKey = false;
      continue;
    }
    if (ch === '.') {
      if (expectKey) return fail(`empty key at ${i}`);
      i += 1;
      expectKey = true;
      if (i === text.length) return fail('path ends with "."');
      continue;
    }
    if (!expectKey) return fail(`expected "." or "[" at ${i}`);
    let end = i;
    while (end < text.length && text[end] !== '.' && text[end] !== '[') {
      if (text[end] === ']' || /\s/.test(text[end] ?? '')) return fail(`unexpected "${text[end]}" at ${end}`);
      end += 1;
    }
    const key = text.slice(i, end);
    if (FORBIDDEN_KEYS.has(key)) return fail(`"${key}" is not allowed as a key`);
    segments.push(key);
    i = end;
    expectKey = false;
  }
  if (segments.length === 0) return fail('path is empty');
  return { ok: true, segments };
}

/** Formats segments back into the canonical text form (`a.b[0].c`). */
export function formatFieldPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** True when one path equals the other or contains it, so writing both would clash. */
export function pathsOverlap(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** Returns a reader specialised for the path length, since reads run once per field per record. */
export function pathReader(segments: readonly PathSegment[]): (record: unknown) => unknown {
  if (segments.length === 1) {
    const [a] = segments as [PathSegment];
    return (record) => step(record, a);
  }
  if (segments.length === 2) {
    const [a, b] = segments as [PathSegment, PathSegment];
    return (record) => step(step(record, a), b);
  }
  if (segments.length === 3) {
    const [a, b, c] = segments as [PathSegment, PathSegment, PathSegment];
    return (record) => step(step(step(record, a), b), c);
  }
  return (record) => {
    let current = record;
    for (const segment of segments) {
      current = step(current, segment);
      if (current === undefined) return undefined;
    }
    return current;
  };
}

function step(value: unknown, segment: PathSegment): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  if (typeof segment === 'number') return Array.isArray(value) ? value[segment] : undefined;
  if (Array.isArray(value)) return undefined;
  const next = (value as Record<string, unknown>)[segment];
  // Plain JSON never holds functions; a function here is an inherited Object.prototype member.
  return typeof next === 'function' ? undefined : next;
}

/**
 * Returns a writer that sets the value at the path, creating objects and arrays on the way.
 * A non-container in the way is replaced, because the mapping's shape is the authority.
 */
export function pathWriter(segments: readonly PathSegment[]): (target: Record<string, unknown>, value: unknown) => void {
  if (segments.length === 1 && typeof segments[0] === 'string') {
    const key = segments[0];
    return (target, value) => { target[key] = value; };
  }
  if (segments.length === 2 && segments.every((s) => typeof s === 'string')) {
    const [a, b] = segments as [string, string];
    return (target, value) => { container(target, a)[b] = value; };
  }
  if (segments.length === 3 && segments.every((s) => typeof s === 'string')) {
    const [a, b, c] = segments as [string, string, string];
    return (target, value) => { container(container(target, a), b)[c] = value; };
  }
  const last = segments.length - 1;
  return (target, value) => {
    let current: Record<string | number, unknown> = target;
    for (let i = 0; i < last; i += 1) {
      const segment = segments[i] as PathSegment;
      let next = current[segment];
      if (next === null || typeof next !== 'object') {
        next = typeof segments[i + 1] === 'number' ? [] : {};
        current[segment] = next;
      }
      current = next as Record<string | number, unknown>;
    }
    current[segments[last] as PathSegment] = value;
  };
}

function container(target: Record<string, unknown>, key: string): Record<string, unknown> {
  const next = target[key];
  if (next !== null && typeof next === 'object') return next as Record<string, unknown>;
  const created: Record<string, unknown> = {};
  target[key] = created;
  return created;
}
