import type { Filter } from './types.ts';

/**
 * Splits the leading `$match` stages of a pipeline into the filter nedb runs while it reads (on
 * its indexes) and the pipeline mingo runs on what it returns. Only conditions that nedb answers
 * exactly as MongoDB does are pushed down; the others stay in a `$match` at the head of `rest`.
 * nedb differs on `null`, on `$ne`/`$nin` over arrays and on `$exists: true` over empty arrays,
 * so those stay with mingo.
 */
export function pushDownLeadingMatch(pipeline: readonly Record<string, unknown>[]): { filter: Filter; rest: Record<string, unknown>[] } {
  const pushed: Filter[] = [];
  const kept: Filter[] = [];
  let i = 0;
  for (; i < pipeline.length; i += 1) {
    const stage = pipeline[i]!;
    const keys = Object.keys(stage);
    const match = stage.$match;
    if (keys.length !== 1 || !isPlainObject(match)) break;
    const push: Filter = {};
    const keep: Filter = {};
    for (const [k, v] of Object.entries(match)) {
      if (portableCondition(k, v)) push[k] = v;
      else keep[k] = v;
    }
    if (Object.keys(push).length > 0) pushed.push(push);
    if (Object.keys(keep).length > 0) kept.push(keep);
  }
  const rest = pipeline.slice(i) as Record<string, unknown>[];
  if (kept.length > 0) rest.unshift({ $match: kept.length === 1 ? kept[0]! : { $and: kept } });
  return { filter: mergeFilters(pushed), rest };
}

/**
 * One object when the parts share no field, so nedb still sees every field at the top level
 * (it picks an index only from top-level conditions); clashing parts go into `$and`.
 */
function mergeFilters(parts: readonly Filter[]): Filter {
  const merged: Filter = {};
  const and: Filter[] = [];
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      if (k === '$and') and.push(...(v as Filter[]));
      else if (k in merged) and.push({ [k]: v });
      else merged[k] = v;
    }
  }
  if (and.length > 0) merged.$and = and;
  return merged;
}

/** One top-level condition of a query that nedb evaluates exactly like MongoDB. */
function portableCondition(key: string, value: unknown): boolean {
  if (key === '$and' || key === '$or') {
    return Array.isArray(value) && value.length > 0 && value.every((part) => isPlainObject(part) && Object.entries(part).every(([k, v]) => portableCondition(k, v)));
  }
  if (key.startsWith('$') || key.length === 0) return false;
  if (isScalar(value)) return true;
  if (!isPlainObject(value)) return false;
  const ops = Object.entries(value);
  return (
    ops.length > 0 &&
    ops.every(([op, operand]) => {
      switch (op) {
        case '$in':
          return Array.isArray(operand) && operand.every(isScalar);
        case '$gt':
        case '$gte':
        case '$lt':
        case '$lte':
          return typeof operand === 'number' || typeof operand === 'string' || operand instanceof Date;
        case '$exists':
          // nedb finds no value in an empty array, where MongoDB sees the field exist.
          return operand === false;
        default:
          return false;
      }
    })
  );
}

/** A non-null string, number, boolean or Date: equal in nedb exactly when equal in MongoDB. */
function isScalar(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && !Number.isNaN(v)) || (v instanceof Date && !Number.isNaN(v.getTime()));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp);
}
