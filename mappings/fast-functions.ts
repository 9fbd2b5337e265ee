// The JSONata built-in functions the fast path runs itself, ported from jsonata.js. Each entry
// lists the argument counts it takes, then checks argument types the way JSONata's signature
// validation would accept them positionally; any other shape (a type JSONata rejects with T0410 or
// T0412, a regex or function argument, the context standing in for an omitted argument) gives up
// to JSONata. Arguments that are functions never get here (compile-fast-expression.ts checks).
import {
  codePoints,
  isFunction,
  isSingleUnit,
  lookup,
  toBoolean,
  toJsonataString,
  unsupported,
} from './jsonata-semantics.ts';

/** A built-in: the argument counts it accepts and its implementation (missing arguments are undefined). */
export interface FastFunction {
  arities: readonly number[];
  call: (a: unknown, b: unknown, c: unknown, d: unknown) => unknown;
}

const text = (value: unknown): string | undefined => {
  if (value !== undefined && typeof value !== 'string') unsupported();
  return value;
};
const num = (value: unknown): number | undefined => {
  if (value !== undefined && typeof value !== 'number') unsupported();
  return value;
};
const string = (value: unknown): string => {
  if (typeof value !== 'string') unsupported();
  return value;
};

// `a<s>` / `a<n>` parameters: undefined stays undefined, a single value of the item type becomes
// a one-item array, and an array must hold only that type (checked index by index, so a sparse
// array, which JSONata's filter-based check would skip over, gives up too).
function arrayOf(value: unknown, type: 'string' | 'number'): unknown[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    if (typeof value !== type) unsupported();
    return [value];
  }
  for (let i = 0; i < value.length; i += 1) if (typeof value[i] !== type) unsupported();
  return value;
}

// `fn.substring`. For a string without surrogates, code points are UTF-16 units, and String#slice
// treats indexes exactly as Array#slice does on the code point array.
function substring(str: string | undefined, startArg: number | undefined, length: number | undefined): string | undefined {
  if (str === undefined) return undefined;
  const chars = isSingleUnit(str) ? undefined : codePoints(str);
  const strLength = chars === undefined ? str.length : chars.length;
  let start = startArg as number;
  if (strLength + start < 0) start = 0;
  let end: number | undefined;
  if (length !== undefined) {
    if (length <= 0) return '';
    end = start >= 0 ? start + length : strLength + start + length;
  }
  return chars === undefined ? str.slice(start, end) : chars.slice(start, end).join('');
}

function trim(str: string): string {
  let result = str.replace(/[ \t\n\r]+/gm, ' ');
  if (result.charAt(0) === ' ') result = result.substring(1);
  if (result.charAt(result.length - 1) === ' ') result = result.substring(0, result.length - 1);
  return result;
}

function number(arg: unknown): number | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'number') return arg;
  if (typeof arg === 'string' && /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/.test(arg) && !Number.isNaN(parseFloat(arg)) && Number.isFinite(Number(arg))) {
    return parseFloat(arg);
  }
  if (typeof arg === 'string' && /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/.test(arg)) return Number(arg);
  if (arg === true) return 1;
  if (arg === false) return 0;
  // null, objects and arrays fail the signature (T0410); other strings are D3030.
  return unsupported();
}

function round(argIn: number | undefined, precision: number | undefined): number | undefined {
  if (argIn === undefined) return undefined;
  let arg = argIn;
  if (precision) {
    const value = arg.toString().split('e');
    arg = +(`${value[0]}e${value[1] ? +value[1] + precision : precision}`);
  }
  let result = Math.round(arg);
  const diff = result - arg;
  if (Math.abs(diff) === 0.5 && Math.abs(result % 2) === 1) result -= 1;
  if (precision) {
    const value = result.toString().split('e');
    result = +(`${value[0]}e${value[1] ? +value[1] - precision : -precision}`);
  }
  if (Object.is(result, -0)) result = 0;
  return result;
}

function replace(str: string | undefined, pattern: string, replacement: string, limit: number | undefined): string | undefined {
  if (str === undefined) return undefined;
  if (pattern === '') unsupported(); // D3010
  if ((limit as number) < 0) unsupported(); // D3011
  if (limit !== undefined && !(limit > 0)) return str;
  let result = '';
  let position = 0;
  let count = 0;
  let index = str.indexOf(pattern, position);
  while (index !== -1 && (limit === undefined || count < limit)) {
    result += str.substring(position, index);
    result += replacement;
    position = index + pattern.length;
    count += 1;
    index = str.indexOf(pattern, position);
  }
  return result + str.substring(position);
}

function split(str: string | undefined, separator: string, limit: number | undefined): string[] | undefined {
  if (str === undefined) return undefined;
  if ((limit as number) < 0) unsupported(); // D3020
  if (limit !== undefined && !(limit > 0)) return [];
  return str.split(separator, limit);
}

function keys(arg: unknown): string | undefined {
  if (Array.isArray(arg)) unsupported();
  if (arg === null || typeof arg !== 'object' || isFunction(arg)) return undefined;
  const found = Object.keys(arg);
  // Two or more keys make a sequence; the fast path does not build sequences.
  if (found.length > 1) unsupported();
  return found[0];
}

function numbers(value: unknown): number[] | undefined {
  return arrayOf(value, 'number') as number[] | undefined;
}

/** The built-ins the fast path runs, by name (without the `$`). */
export const FAST_FUNCTIONS: ReadonlyMap<string, FastFunction> = new Map<string, FastFunction>([
  ['string', { arities: [1], call: (a) => toJsonataString(a) }],
  ['number', { arities: [1], call: (a) => number(a) }],
  ['boolean', { arities: [1], call: (a) => toBoolean(a) }],
  ['not', { arities: [1], call: (a) => (a === undefined ? undefined : !toBoolean(a)) }],
  ['exists', { arities: [1], call: (a) => a !== undefined }],
  ['uppercase', { arities: [1], call: (a) => text(a)?.toUpperCase() }],
  ['lowercase', { arities: [1], call: (a) => text(a)?.toLowerCase() }],
  ['trim', { arities: [1], call: (a) => { const s = text(a); return s === undefined ? undefined : trim(s); } }],
  ['length', {
    arities: [1],
    call: (a) => {
      const s = text(a);
      if (s === undefined) return undefined;
      return isSingleUnit(s) ? s.length : codePoints(s).length;
    },
  }],
  ['substring', { arities: [2, 3], call: (a, b, c) => substring(text(a), num(b), num(c)) }],
  ['substringBefore', {
    arities: [2],
    call: (a, b) => {
      const str = text(a);
      const chars = text(b) as string;
      if (str === undefined) return undefined;
      const pos = str.indexOf(chars);
      return pos > -1 ? str.substr(0, pos) : str;
    },
  }],
  ['substringAfter', {
    arities: [2],
    call: (a, b) => {
      const str = text(a);
      const chars = text(b) as string;
      if (str === undefined) return undefined;
      const pos = str.indexOf(chars);
      return pos > -1 ? str.substr(pos + chars.length) : str;
    },
  }],
  ['contains', {
    arities: [2],
    call: (a, b) => {
      const str = text(a);
      const token = text(b);
      if (str === undefined || token === undefined) return undefined;
      return str.indexOf(token) !== -1;
    },
  }],
  ['split', { arities: [2, 3], call: (a, b, c) => split(text(a), string(b), num(c)) }],
  ['join', {
    arities: [1, 2],
    call: (a, b) => {
      const strs = arrayOf(a, 'string');
      const separator = text(b);
      if (strs === undefined) return undefined;
      return strs.join(separator ?? '');
    },
  }],
  ['replace', { arities: [3, 4], call: (a, b, c, d) => replace(text(a), string(b), string(c), num(d)) }],
  ['round', { arities: [1, 2], call: (a, b) => round(num(a), num(b)) }],
  ['floor', { arities: [1], call: (a) => { const n = num(a); return n === undefined ? undefined : Math.floor(n); } }],
  ['ceil', { arities: [1], call: (a) => { const n = num(a); return n === undefined ? undefined : Math.ceil(n); } }],
  ['abs', { arities: [1], call: (a) => { const n = num(a); return n === undefined ? undefined : Math.abs(n); } }],
  ['sum', {
    arities: [1],
    call: (a) => {
      const items = numbers(a);
      if (items === undefined) return undefined;
      let total = 0;
      for (const item of items) total += item;
      return total;
    },
  }],
  ['max', { arities: [1], call: (a) => { const items = numbers(a); return items === undefined || items.length === 0 ? undefined : Math.max.apply(Math, items); } }],
  ['min', { arities: [1], call: (a) => { const items = numbers(a); return items === undefined || items.length === 0 ? undefined : Math.min.apply(Math, items); } }],
  ['count', { arities: [1], call: (a) => (a === undefined ? 0 : Array.isArray(a) ? a.length : 1) }],
  ['lookup', { arities: [2], call: (a, b) => lookup(a, text(b) as string) }],
  ['keys', { arities: [1], call: (a) => keys(a) }],
]);
