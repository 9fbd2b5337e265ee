import type { Company } from './company.ts';
import type { EntityName } from './entity-fields.ts';
import { ENTITY_FIELDS, entityNamed } from './entity-fields.ts';
import { parseIntuitTime } from './intuit-time.ts';
import { fault } from './quickbooks-error.ts';

/**
 * QBO's query language: `select * | count(*) | fields from Entity [where a op v and ...]
 * [orderby f [asc|desc], ...] [startposition n] [maxresults n]`. It has no OR, strings are
 * single-quoted, and names lists hide inactive rows unless the query mentions Active.
 */

type Token = { kind: 'word' | 'string' | 'number' | 'op' | 'punct' | 'end'; text: string; column: number; value?: string };
type Literal = { kind: 'string' | 'number' | 'boolean'; text: string };
type Condition = { path: string; op: string; values: Literal[] };

interface Query {
  entity: EntityName;
  count: boolean;
  fields: string[] | undefined;
  where: Condition[];
  orderBy: Array<{ path: string; descending: boolean }>;
  startPosition: number;
  maxResults: number;
}

const DEFAULT_MAX_RESULTS = 100;
const MAX_RESULTS = 1000;

function parseError(token: Token): ReturnType<typeof fault> {
  return fault(400, {
    message: 'Error parsing query',
    detail: `QueryParserError: Encountered " "${token.text}" "${token.text} "" at line 1, column ${token.column}.`,
    code: '4000',
  });
}

function invalidQuery(detail: string): ReturnType<typeof fault> {
  return fault(400, { message: 'Invalid query', detail: `QueryValidationError: ${detail}`, code: '4001' });
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest.startsWith("'")) {
      let value = '';
      let j = 1;
      for (; j < rest.length; j++) {
        const c = rest.charAt(j);
        if (c === '\\' && j + 1 < rest.length) value += rest.charAt(++j);
        else if (c === "'") break;
        else value += c;
      }
      if (j >= rest.length) throw parseError({ kind: 'end', text: '<EOF>', column: text.length + 1 });
      tokens.push({ kind: 'string', text: rest.slice(0, j + 1), value, column: i + 1 });
      i += j + 1;
      continue;
    }
    const patterns: Array<[Token['kind'], RegExp]> = [
      ['number', /^-?\d+(?:\.\d+)?(?![A-Za-z_])/],
      ['word', /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/],
      ['op', /^(?:<=|>=|!=|=|<|>)/],
      ['punct', /^[(),*]/],
    ];
    const match = patterns.map(([kind, re]) => [kind, re.exec(rest)] as const).find(([, m]) => m);
    if (!match?.[1]) throw parseError({ kind: 'end', text: rest.charAt(0), column: i + 1 });
    tokens.push({ kind: match[0], text: match[1][0], column: i + 1 });
    i += match[1][0].length;
  }
  tokens.push({ kind: 'end', text: '<EOF>', column: text.length + 1 });
  return tokens;
}

function parse(text: string): Query {
  const tokens = tokenize(text.trim());
  let pos = 0;
  const peek = () => tokens[pos] ?? tokens[tokens.length - 1]!;
  const isWord = (word: string) => peek().kind === 'word' && peek().text.toLowerCase() === word;
  const word = (w: string) => {
    if (!isWord(w)) throw parseError(peek());
    pos++;
  };
  const punct = (p: string) => {
    if (peek().text !== p) throw parseError(peek());
    pos++;
  };
  const integer = () => {
    const t = peek();
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) throw parseError(t);
    pos++;
    return Number(t.text);
  };

  word('select');
  let count = false;
  let fields: string[] | undefined;
  if (peek().text === '*') pos++;
  else if (isWord('count') && tokens[pos + 1]?.text === '(') {
    pos += 2;
    punct('*');
    punct(')');
    count = true;
  } else {
    fields = [];
    do {
      const t = peek();
      if (t.kind !== 'word') throw parseError(t);
      fields.push(t.text);
      pos++;
    } while (peek().text === ',' && ++pos);
  }
  word('from');
  const entityToken = peek();
  if (entityToken.kind !== 'word') throw parseError(entityToken);
  pos++;
  const entity = entityNamed(entityToken.text);
  if (!entity) throw invalidQuery(`value ${entityToken.text} is not a valid entity`);

  const where: Condition[] = [];
  if (isWord('where')) {
    pos++;
    do {
      const pathToken = peek();
      if (pathToken.kind !== 'word') throw parseError(pathToken);
      pos++;
      const opToken = peek();
      let op: string;
      if (opToken.kind === 'op') op = opToken.text;
      else if (opToken.kind === 'word' && ['in', 'like'].includes(opToken.text.toLowerCase())) op = opToken.text.toUpperCase();
      else throw parseError(opToken);
      pos++;
      const literal = (): Literal => {
        const t = peek();
        pos++;
        if (t.kind === 'string') return { kind: 'string', text: t.value ?? '' };
        if (t.kind === 'number') return { kind: 'number', text: t.text };
        if (t.kind === 'word' && ['true', 'false'].includes(t.text.toLowerCase())) return { kind: 'boolean', text: t.text.toLowerCase() };
        throw parseError(t);
      };
      const values: Literal[] = [];
      if (op === 'IN') {
        punct('(');
        do values.push(literal());
        while (peek().text === ',' && ++pos);
        punct(')');
      } else {
        values.push(literal());
      }
      where.push({ path: pathToken.text, op, values });
    } while (isWord('and') && ++pos);
  }
  const orderBy: Query['orderBy'] = [];
  if (isWord('orderby') || isWord('order')) {
    if (isWord('order')) {
      pos++;
      word('by');
    } else pos++;
    do {
      const t = peek();
      if (t.kind !== 'word') throw parseError(t);
      pos++;
      let descending = false;
      if (isWord('desc')) {
        pos++;
        descending = true;
      } else if (isWord('asc')) pos++;
      orderBy.push({ path: t.text, descending });
    } while (peek().text === ',' && ++pos);
  }
  let startPosition = 1;
  let maxResults = DEFAULT_MAX_RESULTS;
  for (let guard = 0; guard < 2; guard++) {
    if (isWord('startposition')) {
      pos++;
      startPosition = Math.max(1, integer());
    } else if (isWord('maxresults')) {
      pos++;
      maxResults = Math.min(MAX_RESULTS, integer());
    }
  }
  if (peek().kind !== 'end') throw parseError(peek());
  return { entity, count, fields, where, orderBy, startPosition, maxResults };
}

function checkPath(entity: EntityName, path: string): void {
  const [root = '', child] = path.split('.');
  const lower = root.toLowerCase();
  if (lower === 'metadata') {
    if (child && ['createtime', 'lastupdatedtime'].includes(child.toLowerCase())) return;
  } else if (ENTITY_FIELDS[entity].some((f) => f.toLowerCase() === lower)) {
    return;
  }
  throw invalidQuery(`property '${path}' is not queryable`);
}

function read(row: Record<string, unknown>, path: string): unknown {
  let current: unknown = row;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    const key = Object.keys(current).find((k) => k.toLowerCase() === segment.toLowerCase());
    current = key === undefined ? undefined : (current as Record<string, unknown>)[key];
  }
  // A reference such as CustomerRef compares by its value.
  if (typeof current === 'object' && current !== null && 'value' in current) return (current as { value: unknown }).value;
  return current;
}

function compare(path: string, value: unknown, literal: Literal, timeZone: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (path.toLowerCase().startsWith('metadata.')) {
    const left = parseIntuitTime(String(value), timeZone);
    const right = parseIntuitTime(literal.text, timeZone);
    if (left === undefined || right === undefined) {
      throw invalidQuery(`value '${literal.text}' is not a valid date-time for ${path}`);
    }
    return left - right;
  }
  if (typeof value === 'number') return value - Number(literal.text);
  if (typeof value === 'boolean') return Number(value) - Number(literal.text === 'true');
  const text = String(value);
  if (/^-?\d+(?:\.\d+)?$/.test(text) && /^-?\d+(?:\.\d+)?$/.test(literal.text)) return Number(text) - Number(literal.text);
  const a = text.toLowerCase();
  const b = literal.text.toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

function matches(row: Record<string, unknown>, condition: Condition, timeZone: string): boolean {
  const value = read(row, condition.path);
  if (condition.op === 'LIKE') {
    const pattern = condition.values[0]?.text ?? '';
    const source = pattern.split('%').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return value !== undefined && value !== null && new RegExp(`^${source}$`, 'i').test(String(value));
  }
  if (condition.op === 'IN') return condition.values.some((literal) => compare(condition.path, value, literal, timeZone) === 0);
  const diff = compare(condition.path, value, condition.values[0]!, timeZone);
  if (diff === undefined) return false;
  switch (condition.op) {
    case '=':
      return diff === 0;
    case '!=':
      return diff !== 0;
    case '<':
      return diff < 0;
    case '<=':
      return diff <= 0;
    case '>':
      return diff > 0;
    default:
      return diff >= 0;
  }
}

/** Runs one query against a company, returning the `QueryResponse` object. */
export function runQuery(company: Company, text: string): Record<string, unknown> {
  const query = parse(text);
  for (const c of query.where) checkPath(query.entity, c.path);
  for (const o of query.orderBy) checkPath(query.entity, o.path);
  for (const f of query.fields ?? []) checkPath(query.entity, f);

  const hidesInactive = (query.entity === 'Customer' || query.entity === 'Item') && !query.where.some((c) => c.path.toLowerCase() === 'active');
  let rows = company
    .list(query.entity)
    .map((e) => company.render(e))
    .filter((row) => !hidesInactive || row.Active !== false)
    .filter((row) => query.where.every((c) => matches(row, c, company.timeZone)));
  if (query.count) return { totalCount: rows.length };

  const orders = query.orderBy.length > 0 ? query.orderBy : [{ path: 'Id', descending: false }];
  rows.sort((a, b) => {
    for (const order of orders) {
      const left = read(a, order.path);
      const right = read(b, order.path);
      const leftMissing = left === undefined || left === null;
      const rightMissing = right === undefined || right === null;
      const diff =
        leftMissing || rightMissing
          ? Number(rightMissing) - Number(leftMissing)
          : (compare(order.path, left, { kind: 'string', text: String(right) }, company.timeZone) ?? 0);
      if (diff !== 0) return order.descending ? -diff : diff;
    }
    return 0;
  });
  rows = rows.slice(query.startPosition - 1, query.startPosition - 1 + query.maxResults);
  if (rows.length === 0) return {};
  const projected = query.fields
    ? rows.map((row) => {
        const out: Record<string, unknown> = {};
        for (const field of query.fields!) {
          const key = Object.keys(row).find((k) => k.toLowerCase() === field.split('.')[0]!.toLowerCase());
          if (key) out[key] = row[key];
        }
        return { ...out, domain: 'QBO', sparse: true };
      })
    : rows;
  return { [query.entity]: projected, startPosition: query.startPosition, maxResults: projected.length };
}
