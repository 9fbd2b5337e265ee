import { SalesforceError } from './salesforce-error.ts';
import { parseDateTime } from './salesforce-time.ts';

/**
 * A parser for the SOQL subset connectors send: field lists (with parent paths such as
 * `Account.Name`), COUNT(), FIELDS(ALL), WHERE with AND/OR/NOT and parentheses, the comparison
 * operators, IN / NOT IN, LIKE, ORDER BY with NULLS FIRST/LAST, LIMIT and OFFSET.
 * Datetime literals are unquoted, as in real SOQL.
 */

export type SoqlLiteral =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'datetime'; value: number }
  | { kind: 'date'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

export interface FieldPath {
  path: string;
  column: number;
}

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type SoqlCondition =
  | { kind: 'compare'; field: FieldPath; op: ComparisonOperator; value: SoqlLiteral }
  | { kind: 'in'; field: FieldPath; negated: boolean; values: SoqlLiteral[] }
  | { kind: 'like'; field: FieldPath; pattern: string }
  | { kind: 'and' | 'or'; left: SoqlCondition; right: SoqlCondition }
  | { kind: 'not'; inner: SoqlCondition };

export type SoqlSelect =
  | { kind: 'count' }
  | { kind: 'fields'; fields: FieldPath[] }
  | { kind: 'fieldsFunction'; which: 'ALL' | 'STANDARD' | 'CUSTOM' };

export interface SoqlOrder {
  field: FieldPath;
  descending: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery {
  text: string;
  select: SoqlSelect;
  from: FieldPath;
  where?: SoqlCondition;
  orderBy: SoqlOrder[];
  limit?: number;
  offset?: number;
}

type TokenKind = 'ident' | 'string' | 'number' | 'datetime' | 'date' | 'punct' | 'op' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  column: number;
  value?: string;
}

const TOKEN_PATTERNS: Array<[TokenKind, RegExp]> = [
  ['datetime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})/],
  ['date', /^\d{4}-\d{2}-\d{2}(?![\dT])/],
  ['number', /^-?\d+(?:\.\d+)?/],
  ['ident', /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/],
  ['op', /^(?:!=|<>|<=|>=|=|<|>)/],
  ['punct', /^[(),]/],
];

export function malformed(text: string, column: number, reason: string): SalesforceError {
  return new SalesforceError(
    400,
    'MALFORMED_QUERY',
    `\n${text}\n${' '.repeat(Math.max(0, column - 1))}^\nERROR at Row:1:Column:${column}\n${reason}`,
  );
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
        if (c === '\\') {
          const next = rest.charAt(j + 1);
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          j++;
        } else if (c === "'") {
          break;
        } else {
          value += c;
        }
      }
      if (j >= rest.length) throw malformed(text, i + 1, 'line 1:' + i + ' mismatched character \'<EOF>\' expecting \'\'\'');
      tokens.push({ kind: 'string', text: rest.slice(0, j + 1), value, column: i + 1 });
      i += j + 1;
      continue;
    }
    let matched = false;
    for (const [kind, pattern] of TOKEN_PATTERNS) {
      const m = pattern.exec(rest);
      if (m) {
        tokens.push({ kind, text: m[0], column: i + 1 });
        i += m[0].length;
        matched = true;
        break;
      }
    }
    if (!matched) throw malformed(text, i + 1, `unexpected token: '${rest.charAt(0)}'`);
  }
  tokens.push({ kind: 'end', text: '<EOF>', column: text.length + 1 });
  return tokens;
}

class Parser {
  readonly #text: string;
  readonly #tokens: Token[];
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
    this.#tokens = tokenize(text);
  }

  parse(): SoqlQuery {
    this.#keyword('SELECT');
    const select = this.#selectList();
    this.#keyword('FROM');
    const fromToken = this.#expect('ident');
    const query: SoqlQuery = { text: this.#text, select, from: { path: fromToken.text, column: fromToken.column }, orderBy: [] };
    if (this.#isKeyword('WHERE')) {
      this.#pos++;
      query.where = this.#orExpression();
    }
    if (this.#isKeyword('ORDER')) {
      this.#pos++;
      this.#keyword('BY');
      query.orderBy = this.#orderList();
    }
    if (this.#isKeyword('LIMIT')) {
      this.#pos++;
      query.limit = this.#integer();
    }
    if (this.#isKeyword('OFFSET')) {
      this.#pos++;
      query.offset = this.#integer();
      if (query.offset > 2000) throw new SalesforceError(400, 'NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000');
    }
    if (this.#isKeyword('ALL')) {
      this.#pos++;
      this.#keyword('ROWS');
    }
    if (this.#isKeyword('FOR')) {
      this.#pos++;
      const what = this.#expect('ident');
      if (!['UPDATE', 'VIEW', 'REFERENCE'].includes(what.text.toUpperCase())) throw this.#unexpected(what);
    }
    const last = this.#peek();
    if (last.kind !== 'end') throw this.#unexpected(last);
    return query;
  }

  #selectList(): SoqlSelect {
    const first = this.#peek();
    const second = this.#tokens[this.#pos + 1];
    if (first.kind === 'ident' && first.text.toUpperCase() === 'COUNT' && second?.text === '(') {
      this.#pos += 2;
      this.#punct(')');
      return { kind: 'count' };
    }
    if (first.kind === 'ident' && first.text.toUpperCase() === 'FIELDS' && second?.text === '(') {
      this.#pos += 2;
      const which = this.#expect('ident').text.toUpperCase();
      if (which !== 'ALL' && which !== 'STANDARD' && which !== 'CUSTOM') throw this.#unexpected(this.#tokens[this.#pos - 1]!);
      this.#punct(')');
      return { kind: 'fieldsFunction', which };
    }
    const fields: FieldPath[] = [];
    do {
      const token = this.#expect('ident');
      if (token.text.toUpperCase() === 'FROM') throw this.#unexpected(token);
      fields.push({ path: token.text, column: token.column });
    } while (this.#eatPunct(','));
    return { kind: 'fields', fields };
  }

  #orExpression(): SoqlCondition {
    let left = this.#andExpression();
    while (this.#isKeyword('OR')) {
      this.#pos++;
      left = { kind: 'or', left, right: this.#andExpression() };
    }
    return left;
  }

  #andExpression(): SoqlCondition {
    let left = this.#unary();
    while (this.#isKeyword('AND')) {
      this.#pos++;
      left = { kind: 'and', left, right: this.#unary() };
    }
    return left;
  }

  #unary(): SoqlCondition {
    if (this.#isKeyword('NOT')) {
      this.#pos++;
      return { kind: 'not', inner: this.#unary() };
    }
    if (this.#eatPunct('(')) {
      const inner = this.#orExpression();
      this.#punct(')');
      return inner;
    }
    return this.#condition();
  }

  #condition(): SoqlCondition {
    const fieldToken = this.#expect('ident');
    const field = { path: fieldToken.text, column: fieldToken.column };
    const next = this.#peek();
    if (next.kind === 'op') {
      this.#pos++;
      const op = (next.text === '<>' ? '!=' : next.text) as ComparisonOperator;
      return { kind: 'compare', field, op, value: this.#literal() };
    }
    if (this.#isKeyword('LIKE')) {
      this.#pos++;
      const pattern = this.#expect('string');
      return { kind: 'like', field, pattern: pattern.value ?? '' };
    }
    let negated = false;
    if (this.#isKeyword('NOT')) {
      this.#pos++;
      negated = true;
    }
    if (this.#isKeyword('IN')) {
      this.#pos++;
      this.#punct('(');
      const values: SoqlLiteral[] = [];
      do values.push(this.#literal());
      while (this.#eatPunct(','));
      this.#punct(')');
      return { kind: 'in', field, negated, values };
    }
    throw this.#unexpected(next);
  }

  #literal(): SoqlLiteral {
    const token = this.#peek();
    this.#pos++;
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value ?? '' };
      case 'number':
        return { kind: 'number', value: Number(token.text) };
      case 'date':
        return { kind: 'date', value: token.text };
      case 'datetime': {
        const at = parseDateTime(token.text);
        if (at === undefined) throw this.#unexpected(token);
        return { kind: 'datetime', value: at };
      }
      case 'ident': {
        const upper = token.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
        if (upper === 'NULL') return { kind: 'null' };
        throw this.#unexpected(token);
      }
      default:
        throw this.#unexpected(token);
    }
  }

  #orderList(): SoqlOrder[] {
    const out: SoqlOrder[] = [];
    do {
      const token = this.#expect('ident');
      let descending = false;
      if (this.#isKeyword('ASC')) this.#pos++;
      else if (this.#isKeyword('DESC')) {
        this.#pos++;
        descending = true;
      }
      let nullsLast = descending;
      if (this.#isKeyword('NULLS')) {
        this.#pos++;
        const which = this.#expect('ident').text.toUpperCase();
        if (which !== 'FIRST' && which !== 'LAST') throw this.#unexpected(this.#tokens[this.#pos - 1]!);
        nullsLast = which === 'LAST';
      }
      out.push({ field: { path: token.text, column: token.column }, descending, nullsLast });
    } while (this.#eatPunct(','));
    return out;
  }

  #integer(): number {
    const token = this.#expect('number');
    const n = Number(token.text);
    if (!Number.isInteger(n) || n < 0) throw this.#unexpected(token);
    return n;
  }

  #peek(): Token {
    return this.#tokens[this.#pos] ?? this.#tokens[this.#tokens.length - 1]!;
  }

  #expect(kind: TokenKind): Token {
    const token = this.#peek();
    if (token.kind !== kind) throw this.#unexpected(token);
    this.#pos++;
    return token;
  }

  #isKeyword(word: string): boolean {
    const token = this.#peek();
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  #keyword(word: string): void {
    if (!this.#isKeyword(word)) throw this.#unexpected(this.#peek());
    this.#pos++;
  }

  #eatPunct(p: string): boolean {
    const token = this.#peek();
    if (token.kind === 'punct' && token.text === p) {
      this.#pos++;
      return true;
    }
    return false;
  }

  #punct(p: string): void {
    if (!this.#eatPunct(p)) throw this.#unexpected(this.#peek());
  }

  #unexpected(token: Token): SalesforceError {
    return malformed(this.#text, token.column, `unexpected token: '${token.text}'`);
  }
}

export function parseSoql(text: string): SoqlQuery {
  return new Parser(text.trim()).parse();
}
