// JSONata 2.x value semantics, ported line for line from jsonata.js for the synchronous fast path
// (compile-fast-expression.ts). Wherever JSONata would throw, or would build a sequence, these
// helpers give up instead (`unsupported()`), and the caller re-runs the record through JSONata, so
// errors always come from JSONata itself. Keep each helper in step with the function it mirrors.

const GIVE_UP = Object.freeze({ fastPath: 'unsupported' });

/** Abandons the fast path for this record; the runner catches it and falls back to JSONata. */
export function unsupported(): never {
  throw GIVE_UP;
}

const hasOwn = Object.prototype.hasOwnProperty;

interface Flags {
  _jsonata_function?: unknown;
  _jsonata_lambda?: unknown;
}

const flagged = (flags: Flags): boolean => flags._jsonata_function === true || flags._jsonata_lambda === true;

/** `utils.isFunction`: JS functions, and values flagged as JSONata functions or lambdas. */
export function isFunction(arg: unknown): boolean {
  if (typeof arg === 'function') return true;
  if (!arg) return false;
  // A primitive's properties are its prototype's; reading them there skips the wrapper object.
  if (typeof arg === 'string') return flagged(String.prototype as Flags);
  if (typeof arg === 'number') return flagged(Number.prototype as Flags);
  return flagged(arg as Flags);
}

/** `utils.isNumeric`: a number that is not NaN. JSONata throws D1001 for ±Infinity. */
export function isNumeric(n: unknown): n is number {
  if (typeof n !== 'number' || Number.isNaN(n)) return false;
  if (!Number.isFinite(n)) unsupported();
  return true;
}

/**
 * What evaluate() does to every result: a sequence of length 0 or 1 collapses. Values coming from
 * outside (the record, bindings) are never sequences unless someone passes JSONata's own output
 * back in; that case is left to JSONata.
 */
function notSequence<T>(value: T): T {
  if (Array.isArray(value) && (value as { sequence?: unknown }).sequence === true) unsupported();
  return value;
}

/** `fn.lookup` for one input item (an array input would map over its items: left to JSONata). */
export function lookup(input: unknown, key: string): unknown {
  if (Array.isArray(input)) unsupported();
  if (input !== null && typeof input === 'object' && hasOwn.call(input, key) && !isFunction(input)) {
    return notSequence((input as Record<string, unknown>)[key]);
  }
  return undefined;
}

/** `fn.boolean`: JSONata's effective boolean value; undefined stays undefined. */
export function toBoolean(arg: unknown): boolean | undefined {
  if (arg === undefined) return undefined;
  let result: boolean | undefined = false;
  if (Array.isArray(arg)) {
    if (arg.length === 1) result = toBoolean(arg[0]);
    else if (arg.length > 1) result = arg.filter((item) => toBoolean(item)).length > 0;
  } else if (typeof arg === 'string') {
    if (arg.length > 0) result = true;
  } else if (isNumeric(arg)) {
    if (arg !== 0) result = true;
  } else if (arg !== null && typeof arg === 'object' && !isFunction(arg)) {
    if (Object.keys(arg).length > 0) result = true;
  } else if (typeof arg === 'boolean' && arg) {
    result = true;
  }
  return result;
}

/** `boolize`: the boolean value with undefined as false, as `and`/`or` use it. */
export function boolize(arg: unknown): boolean {
  return toBoolean(arg) ?? false;
}

function stringifyReplacer(_key: string, val: unknown): unknown {
  if (val !== undefined && val !== null && isNumeric(val)) {
    return !Number.isInteger(val) ? Number(val.toPrecision(15)) : val;
  }
  return val && isFunction(val) ? '' : val;
}

/** `fn.string` without prettify. JSONata throws D3001 for ±Infinity and NaN. */
export function toJsonataString(arg: unknown): string | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'string') return arg;
  if (isFunction(arg)) return '';
  if (typeof arg === 'number' && !Number.isFinite(arg)) unsupported();
  let value: unknown = arg;
  if (Array.isArray(value) && (value as { outerWrapper?: unknown }).outerWrapper) value = value[0];
  return JSON.stringify(value, stringifyReplacer, 0);
}

/** `utils.isDeepEqual`, for `=` and `!=`. */
export function isDeepEqual(lhs: unknown, rhs: unknown): boolean {
  if (lhs === rhs) return true;
  if (typeof lhs === 'object' && typeof rhs === 'object' && lhs !== null && rhs !== null) {
    if (Array.isArray(lhs) && Array.isArray(rhs)) {
      if (lhs.length !== rhs.length) return false;
      for (let i = 0; i < lhs.length; i += 1) if (!isDeepEqual(lhs[i], rhs[i])) return false;
      return true;
    }
    const lkeys = Object.getOwnPropertyNames(lhs).sort();
    const rkeys = Object.getOwnPropertyNames(rhs).sort();
    if (lkeys.length !== rkeys.length) return false;
    for (let i = 0; i < lkeys.length; i += 1) if (lkeys[i] !== rkeys[i]) return false;
    for (const key of lkeys) {
      if (!isDeepEqual((lhs as Record<string, unknown>)[key], (rhs as Record<string, unknown>)[key])) return false;
    }
    return true;
  }
  return false;
}

/** `< <= > >=`: strings with strings, numbers with numbers; undefined on either side gives undefined. */
export function compare(op: string, lhs: unknown, rhs: unknown): boolean | undefined {
  const ltype = typeof lhs;
  const rtype = typeof rhs;
  const lcomparable = ltype === 'undefined' || ltype === 'string' || ltype === 'number';
  const rcomparable = rtype === 'undefined' || rtype === 'string' || rtype === 'number';
  if (!lcomparable || !rcomparable) unsupported();
  if (ltype === 'undefined' || rtype === 'undefined') return undefined;
  if (ltype !== rtype) unsupported();
  const l = lhs as string | number;
  const r = rhs as string | number;
  switch (op) {
    case '<': return l < r;
    case '<=': return l <= r;
    case '>': return l > r;
    case '>=': return l >= r;
    default: return unsupported();
  }
}

/** `&`: each side through `$string`, undefined as the empty string. */
export function concat(lhs: unknown, rhs: unknown): string {
  const lstr = lhs === undefined ? '' : (toJsonataString(lhs) as string);
  const rstr = rhs === undefined ? '' : (toJsonataString(rhs) as string);
  return lstr.concat(rstr);
}

/** `in`: membership by identity; a non-array right side is a one-item array. */
export function includes(lhs: unknown, rhs: unknown): boolean {
  if (lhs === undefined || rhs === undefined) return false;
  const items: unknown[] = Array.isArray(rhs) ? rhs : [rhs];
  for (let i = 0; i < items.length; i += 1) if (items[i] === lhs) return true;
  return false;
}

/** `fn.append` as the array constructor uses it: a non-array is one item, an array is spread. */
function append(items: unknown[], value: unknown): unknown[] {
  return items.concat(Array.isArray(value) ? value : [value]);
}

/**
 * The array constructor over its evaluated items: undefined items are dropped, an item that is
 * itself an array constructor (`nested`) is kept as one item, and any other is appended.
 */
export function buildArray(values: readonly unknown[], nested: readonly boolean[]): unknown[] {
  let result: unknown[] = [];
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (value === undefined) continue;
    if (nested[i] === true) result.push(value);
    else result = append(result, value);
  }
  return result;
}

/**
 * Checks an object constructor's evaluated keys as JSONata's grouping does for one context item
 * (strings or undefined, T1003; not `_jsonata_lambda`/`_jsonata_function`, D1013; no key from
 * two pairs, D1009) and returns the empty result object, which like JSONata's has no prototype.
 */
export function objectFromKeys(keys: readonly unknown[]): Record<string, unknown> {
  const seen = new Set<string>();
  for (const key of keys) {
    if (key === undefined) continue;
    if (typeof key !== 'string') unsupported();
    if (key === '_jsonata_lambda' || key === '_jsonata_function' || seen.has(key)) unsupported();
    seen.add(key);
  }
  return Object.create(null) as Record<string, unknown>;
}

/** `utils.stringToArray`: the string's code points. */
export function codePoints(str: string): string[] {
  const chars: string[] = [];
  for (const char of str) chars.push(char);
  return chars;
}

/** True when code points and UTF-16 units coincide, so string indexing equals code point indexing. */
export function isSingleUnit(str: string): boolean {
  for (let i = 0; i < str.length; i += 1) {
    if ((str.charCodeAt(i) & 0xf800) === 0xd800) return false;
  }
  return true;
}
