import { canonicalJson } from './canonical-json.ts';

/** One changed field. `from` or `to` is undefined when the field was added or removed. */
export interface FieldChange {
  path: string;
  from: unknown;
  to: unknown;
}

/** Bookkeeping fields that change on every write and say nothing about the business change. */
export const DEFAULT_IGNORED_FIELDS: readonly string[] = ['version', 'updatedAt', 'outbox'];

/**
 * Field-level differences between two plain objects, sorted by path. Nested plain objects are
 * walked (`customFields.siteArea`); arrays, Dates and other values compare whole, by their
 * canonical JSON, so a reordered tag list is one change. `ignore` lists dotted paths to skip,
 * with everything beneath them.
 *
 * @example fieldDiff({ title: 'A', version: 1 }, { title: 'B', version: 2 }) // [{ path: 'title', from: 'A', to: 'B' }]
 */
export function fieldDiff(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  options: { ignore?: readonly string[] } = {},
): FieldChange[] {
  const ignore = new Set(options.ignore ?? DEFAULT_IGNORED_FIELDS);
  const changes: FieldChange[] = [];
  walk(before, after, '', ignore, changes);
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function walk(before: unknown, after: unknown, path: string, ignore: ReadonlySet<string>, into: FieldChange[]): void {
  if (path && ignore.has(path)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) walk(before[key], after[key], path ? `${path}.${key}` : key, ignore, into);
    return;
  }
  if (same(before, after)) return;
  into.push({ path, from: before, to: after });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return canonicalJson(a) === canonicalJson(b);
}
