import { JiraError } from './jira-error.ts';

export type JqlOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~' | 'in' | 'not in' | 'is' | 'is not';

export type JqlOperand =
  | { kind: 'value'; text: string }
  | { kind: 'function'; name: string; args: string[] }
  | { kind: 'empty' }
  | { kind: 'list'; items: JqlOperand[] };

export type JqlNode =
  | { kind: 'and'; nodes: JqlNode[] }
  | { kind: 'or'; nodes: JqlNode[] }
  | { kind: 'not'; node: JqlNode }
  | { kind: 'clause'; field: string; operator: JqlOperator; operand: JqlOperand };

export interface JqlSort {
  field: string;
  direction: 'ASC' | 'DESC';
}

export interface JqlQuery {
  where: JqlNode | null;
  orderBy: JqlSort[];
}

interface Token {
  kind: 'word' | 'string' | 'op' | '(' | ')' | ',' | 'eof';
  text: string;
  at: number;
}

const operatorTokens = ['!=', '>=', '<=', '!~', '=', '>', '<', '~'];

function jqlError(message: string, at?: number): JiraError {
  const where = at === undefined ? '' : ` (line 1, character ${at + 1})`;
  return new JiraError(400, { errorMessages: [`Error in the JQL Query: ${message}${where}`] });
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: char, text: char, at: i++ });
      continue;
    }
    const operator = operatorTokens.find((candidate) => source.startsWith(candidate, i));
    if (operator) {
      tokens.push({ kind: 'op', text: operator, at: i });
      i += operator.length;
      continue;
    }
    if (char === '"' || char === "'") {
      const start = i++;
      let text = '';
      while (i < source.length && source[i] !== char) {
        if (source[i] === '\\' && i + 1 < source.length) i++;
        text += source[i++];
      }
      if (i >= source.length) throw jqlError('The quoted string has not been completed.', start);
      i++;
      tokens.push({ kind: 'string', text, at: start });
      continue;
    }
    const start = i;
    while (i < source.length && !/[\s(),=!<>~"']/.test(source[i]!)) i++;
    if (i === start) throw jqlError(`The character '${char}' is a reserved JQL character.`, start);
    tokens.push({ kind: 'word', text: source.slice(start, i), at: start });
  }
  tokens.push({ kind: 'eof', text: '', at: source.length });
  return tokens;
}

/** Parses the JQL subset a sync connector needs: clauses, AND/OR/NOT, parentheses, ORDER BY. */
export function parseJql(source: string): JqlQuery {
  const tokens = tokenize(source);
  let position = 0;
  const peek = () => tokens[position]!;
  const next = () => tokens[position++]!;
  const isWord = (token: Token, word: string) => token.kind === 'word' && token.text.toLowerCase() === word;

  const parseOperandItem = (): JqlOperand => {
    const token = next();
    if (token.kind === 'string') return { kind: 'value', text: token.text };
    if (token.kind !== 'word') throw jqlError(`Expecting either a value, list or function but got '${token.text}'.`, token.at);
    if (isWord(token, 'empty') || isWord(token, 'null')) return { kind: 'empty' };
    if (peek().kind === '(') {
      next();
      const args: string[] = [];
      while (peek().kind !== ')') {
        const argument = next();
        if (argument.kind !== 'word' && argument.kind !== 'string') throw jqlError(`Expecting ')' but got '${argument.text}'.`, argument.at);
        args.push(argument.text);
        if (peek().kind === ',') next();
      }
      next();
      return { kind: 'function', name: token.text, args };
    }
    return { kind: 'value', text: token.text };
  };

  const parseOperand = (): JqlOperand => {
    if (peek().kind !== '(') return parseOperandItem();
    next();
    const items: JqlOperand[] = [parseOperandItem()];
    while (peek().kind === ',') {
      next();
      items.push(parseOperandItem());
    }
    const close = next();
    if (close.kind !== ')') throw jqlError(`Expecting ')' but got '${close.text}'.`, close.at);
    return { kind: 'list', items };
  };

  const parseOperator = (): JqlOperator => {
    const token = next();
    if (token.kind === 'op') return token.text as JqlOperator;
    if (isWord(token, 'in')) return 'in';
    if (isWord(token, 'is')) {
      if (isWord(peek(), 'not')) {
        next();
        return 'is not';
      }
      return 'is';
    }
    if (isWord(token, 'not') && isWord(peek(), 'in')) {
      next();
      return 'not in';
    }
    throw jqlError(
      `Expecting operator but got '${token.text}'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.`,
      token.at,
    );
  };

  const parseClause = (): JqlNode => {
    const field = next();
    if (field.kind !== 'word' && field.kind !== 'string') throw jqlError(`Expecting a field name but got '${field.text}'.`, field.at);
    const operator = parseOperator();
    const operand = parseOperand();
    return { kind: 'clause', field: field.text, operator, operand };
  };

  let parseOr: () => JqlNode;
  const parseUnary = (): JqlNode => {
    if (isWord(peek(), 'not') || (peek().kind === 'op' && peek().text === '!')) {
      next();
      return { kind: 'not', node: parseUnary() };
    }
    if (peek().kind === '(') {
      next();
      const inner = parseOr();
      const close = next();
      if (close.kind !== ')') throw jqlError(`Expecting ')' but got '${close.text}'.`, close.at);
      return inner;
    }
    return parseClause();
  };
  const parseAnd = (): JqlNode => {
    const nodes = [parseUnary()];
    while (isWord(peek(), 'and') || (peek().kind === 'word' && peek().text === '&&')) {
      next();
      nodes.push(parseUnary());
    }
    return nodes.length === 1 ? nodes[0]! : { kind: 'and', nodes };
  };
  parseOr = (): JqlNode => {
    const nodes = [parseAnd()];
    while (isWord(peek(), 'or') || (peek().kind === 'word' && peek().text === '||')) {
      next();
      nodes.push(parseAnd());
    }
    return nodes.length === 1 ? nodes[0]! : { kind: 'or', nodes };
  };

  const startsOrderBy = () => isWord(peek(), 'order') && isWord(tokens[position + 1]!, 'by');
  const where = peek().kind === 'eof' || startsOrderBy() ? null : parseOr();

  const orderBy: JqlSort[] = [];
  if (startsOrderBy()) {
    position += 2;
    do {
      if (peek().kind === ',') next();
      const field = next();
      if (field.kind !== 'word' && field.kind !== 'string') throw jqlError(`Expecting a field name but got '${field.text}'.`, field.at);
      let direction: JqlSort['direction'] = 'ASC';
      if (isWord(peek(), 'asc') || isWord(peek(), 'desc')) direction = next().text.toUpperCase() as JqlSort['direction'];
      orderBy.push({ field: field.text, direction });
    } while (peek().kind === ',');
  }
  const tail = peek();
  if (tail.kind !== 'eof') throw jqlError(`Expecting either 'OR' or 'AND' but got '${tail.text}'.`, tail.at);
  return { where, orderBy };
}
