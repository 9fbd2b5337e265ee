import { createRequire } from 'node:module';

type Row = Record<string, unknown>;

const { deepCopy, checkObject, serialize } = createRequire(import.meta.url)('@seald-io/nedb/lib/model.js') as {
  deepCopy<T>(v: T): T;
  checkObject(v: unknown): void;
  serialize(v: unknown): string;
};

/** A document ready for a nedb datastore: the copy its memory keeps and the line its datafile gets. */
export interface DatafileEntry {
  copy: Row;
  line: string;
}

// Thrown inside the walk when a value needs nedb's own, general handling.
const UNUSUAL = Symbol('unusual value');

// What JSON.stringify escapes in a string: quotes, backslashes, control characters, surrogates
// (lone ones are escaped; a string holding any takes JSON.stringify's own path).
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON. Most need no escaping; quoting those directly spares copying them. */
function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

// Field names repeat from document to document: each is quoted once.
const quotedKeys = new Map<string, string>();
function quotedKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = quote(k) + ':';
    if (quotedKeys.size < 10_000) quotedKeys.set(k, q);
  }
  return q;
}

/**
 * Copies `doc` for a nedb datastore's memory, checks its field names and writes its datafile
 * line, in one walk. The result equals nedb's own `deepCopy`, `checkObject` and `serialize`
 * (dates as `{"$$date":ms}`, `undefined` fields kept in the copy and left out of the line);
 * anything beyond plain objects, arrays, dates and primitives, and any field name starting
 * with `$`, takes nedb's own path, so its behaviour and its errors stay exactly nedb's.
 */
export function datafileEntry(doc: Row): DatafileEntry {
  return entryOf(doc, true) as DatafileEntry;
}

/** The datafile line of `doc` alone, as {@link datafileEntry} writes it, without making the copy. */
export function datafileLine(doc: Row): string {
  return entryOf(doc, false).line;
}

function entryOf(doc: Row, keep: boolean): { copy: Row | undefined; line: string } {
  try {
    const out = { line: '' };
    const copy = copyObject(doc, out, keep);
    return { copy, line: out.line };
  } catch (err) {
    if (err !== UNUSUAL) throw err;
    const copy = deepCopy(doc);
    checkObject(copy);
    return { copy, line: serialize(copy) };
  }
}

// An object given more than a dozen or so properties one by one, by computed name, is kept by V8
// as a hash table: several times the memory of a plain object, slower to read, and slower for the
// collector to trace, for as long as the datastore holds it. Objects with many fields are
// therefore copied from a template of the same field names (a clone of a template shares its
// shape), and only their values are assigned.
const TEMPLATE_ABOVE = 12;
const MAX_TEMPLATES = 1_000;
const templates = new Map<string, Row>();

function blankWith(keys: readonly string[]): Row {
  if (keys.length <= TEMPLATE_ABOVE) return {};
  const signature = JSON.stringify(keys);
  let template = templates.get(signature);
  if (template === undefined) {
    template = JSON.parse(`{${keys.map((k) => `${JSON.stringify(k)}:null`).join(',')}}`) as Row;
    if (templates.size < MAX_TEMPLATES) templates.set(signature, template);
  }
  return { ...template };
}

// The line is built in `out.line` as the copy is made: one pass over the document instead of three.
// Without `keep` only the line is built, and the copy functions return undefined.
function copyObject(obj: Row, out: { line: string }, keep: boolean): Row | undefined {
  const proto = Object.getPrototypeOf(obj) as unknown;
  if (proto !== Object.prototype && proto !== null) throw UNUSUAL;
  const keys = Object.keys(obj);
  // `__proto__` would set the copy's prototype rather than a field; nedb's path decides what it means.
  if (keys.includes('__proto__')) throw UNUSUAL;
  const res: Row | undefined = keep ? blankWith(keys) : undefined;
  let line = '{';
  let first = true;
  for (const k of keys) {
    if (k.charCodeAt(0) === 36 /* $ */) throw UNUSUAL;
    if (k.includes('.')) throw new Error('Field names cannot contain a .');
    const v = obj[k];
    if (v === undefined) {
      if (res) res[k] = undefined;
      continue;
    }
    line += first ? quotedKey(k) : ',' + quotedKey(k);
    first = false;
    out.line = '';
    const c = copyValue(v, out, keep);
    if (res) res[k] = c;
    line += out.line;
  }
  out.line = line + '}';
  return res;
}

function copyArray(arr: unknown[], out: { line: string }, keep: boolean): unknown[] | undefined {
  const res: unknown[] | undefined = keep ? new Array(arr.length) : undefined;
  let line = '[';
  for (let i = 0; i < arr.length; i += 1) {
    if (i > 0) line += ',';
    const v = arr[i];
    if (v === undefined) {
      if (res) res[i] = undefined;
      line += 'null';
      continue;
    }
    out.line = '';
    const c = copyValue(v, out, keep);
    if (res) res[i] = c;
    line += out.line;
  }
  out.line = line + ']';
  return res;
}

function copyValue(v: unknown, out: { line: string }, keep: boolean): unknown {
  switch (typeof v) {
    case 'string':
      out.line = quote(v);
      return v;
    case 'number':
      out.line = Number.isFinite(v) ? String(v) : 'null';
      return v;
    case 'boolean':
      out.line = v ? 'true' : 'false';
      return v;
    case 'object':
      if (v === null) {
        out.line = 'null';
        return v;
      }
      if (v instanceof Date) {
        // nedb keeps the Date object itself in memory; an invalid one is written as null (its toJSON).
        const ms = v.getTime();
        out.line = Number.isFinite(ms) ? `{"$$date":${ms}}` : 'null';
        return v;
      }
      if (Array.isArray(v)) return copyArray(v, out, keep);
      return copyObject(v as Row, out, keep);
    default:
      throw UNUSUAL;
  }
}
