import { createRequire } from 'node:module';
import type { Filter } from './types.ts';

type Row = Record<string, unknown>;

/** A compiled filter: true when the document matches, exactly as nedb's `model.match` decides. */
export type Matcher = (doc: Row) => boolean;

interface NedbModel {
  match(doc: Row, query: Filter): boolean;
  areThingsEqual(a: unknown, b: unknown): boolean;
}

const model = createRequire(import.meta.url)('@seald-io/nedb/lib/model.js') as NedbModel;

const toTag = (v: unknown): string => Object.prototype.toString.call(v);
const isDate = (v: unknown): v is Date => v !== null && typeof v === 'object' && toTag(v) === '[object Date]';
const isRegExp = (v: unknown): v is RegExp => v !== null && typeof v === 'object' && toTag(v) === '[object RegExp]';
const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && !(Symbol.toStringTag in v);
};
const isScalar = (v: unknown): v is string | number | boolean | null =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** nedb's `areComparable` (model.js): both of one type, one of them a string, number or date. */
const areComparable = (a: unknown, b: unknown): boolean => {
  if (typeof a !== 'string' && typeof a !== 'number' && !isDate(a) && typeof b !== 'string' && typeof b !== 'number' && !isDate(b)) return false;
  return typeof a === typeof b;
};

/** A test of one value (never an array: arrays are unrolled by {@link fieldTest}). */
type ValueTest = (value: unknown) => boolean;

/**
 * `model.match` for the filters list reads use, compiled once per read instead of interpreted per
 * document: top-level fields, equality with scalars and dates, regular expressions, `$in`, `$nin`,
 * `$ne`, `$exists`, `$lt`/`$lte`/`$gt`/`$gte`, `$regex`, and `$and`/`$or`/`$not` of such filters.
 * Any other part of the filter (dotted paths, `$elemMatch`, `$size`, array or sub-document
 * equality, `$where`, malformed operators) is left to nedb's own `match`, part by part, so the
 * result, including the errors nedb throws, is always nedb's.
 */
export function compileMatcher(query: Filter): Matcher {
  if (!isPlainObject(query)) return (doc) => model.match(doc, query);
  const parts: Matcher[] = [];
  for (const key of Object.keys(query)) {
    const value = query[key];
    const part = key === '__proto__' ? undefined : key.startsWith('$') ? compileLogical(key, value) : compileField(key, value);
    parts.push(part ?? ((doc) => model.match(doc, { [key]: value })));
  }
  if (parts.length === 0) return () => true;
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 2) {
    const [a, b] = parts as [Matcher, Matcher];
    return (doc) => a(doc) && b(doc);
  }
  return (doc) => {
    for (let i = 0; i < parts.length; i += 1) if (!parts[i]!(doc)) return false;
    return true;
  };
}

function compileLogical(op: string, value: unknown): Matcher | undefined {
  if (op === '$not') {
    if (!isPlainObject(value)) return undefined;
    const inner = compileMatcher(value);
    return (doc) => !inner(doc);
  }
  if ((op !== '$and' && op !== '$or') || !Array.isArray(value)) return undefined;
  // nedb matches each element with `match`, which treats non-objects its own way.
  const subs = (value as unknown[]).map((q) => (isPlainObject(q) ? compileMatcher(q) : (doc: Row) => model.match(doc, q as Filter)));
  return op === '$and' ? (doc) => subs.every((m) => m(doc)) : (doc) => subs.some((m) => m(doc));
}

/** nedb's `matchQueryPart` for a top-level field: an array value matches when one of its elements (at any depth) does. */
function compileField(key: string, queryValue: unknown): Matcher | undefined {
  if (key.length === 0 || key.includes('.')) return undefined;
  const test = compileValueTest(queryValue);
  if (!test) return undefined;
  const some = (v: unknown): boolean => {
    if (!Array.isArray(v)) return test(v);
    for (const el of v) if (some(el)) return true;
    return false;
  };
  return (doc) => some(doc[key]);
}

function compileValueTest(q: unknown): ValueTest | undefined {
  if (isScalar(q)) return (v) => v === q;
  if (isDate(q)) {
    const t = q.getTime();
    return (v) => isDate(v) && v.getTime() === t;
  }
  if (isRegExp(q)) return (v) => typeof v === 'string' && q.test(v);
  if (!isPlainObject(q)) return undefined;
  const ops = Object.keys(q);
  // nedb compares objects without operators (or with a mix, which it refuses) as values.
  if (ops.length === 0 || !ops.every((k) => k.startsWith('$'))) return undefined;
  const tests: ValueTest[] = [];
  for (const op of ops) {
    const t = compileOperator(op, q[op]);
    if (!t) return undefined;
    tests.push(t);
  }
  if (tests.length === 1) return tests[0];
  return (v) => {
    for (let i = 0; i < tests.length; i += 1) if (!tests[i]!(v)) return false;
    return true;
  };
}

/** nedb's `comparisonFunctions` (model.js), for the operators that do not look at arrays as a whole. */
function compileOperator(op: string, b: unknown): ValueTest | undefined {
  switch (op) {
    case '$lt':
      return (a) => areComparable(a, b) && (a as number) < (b as number);
    case '$lte':
      return (a) => areComparable(a, b) && (a as number) <= (b as number);
    case '$gt':
      return (a) => areComparable(a, b) && (a as number) > (b as number);
    case '$gte':
      return (a) => areComparable(a, b) && (a as number) >= (b as number);
    case '$ne':
      return isScalar(b) ? (a) => a === undefined || a !== b : (a) => a === undefined || !model.areThingsEqual(a, b);
    case '$in':
    case '$nin': {
      if (!Array.isArray(b)) return undefined;
      const list = b as unknown[];
      const inList: ValueTest = list.every(isScalar)
        ? (a) => {
            for (let i = 0; i < list.length; i += 1) if (a === list[i]) return true;
            return false;
          }
        : (a) => list.some((el) => model.areThingsEqual(a, el));
      return op === '$in' ? inList : (a) => !inList(a);
    }
    case '$exists': {
      const wanted = Boolean(b) || b === '';
      return (a) => (a === undefined ? !wanted : wanted);
    }
    case '$regex':
      if (!isRegExp(b)) return undefined;
      return (a) => typeof a === 'string' && b.test(a);
    default:
      return undefined;
  }
}
