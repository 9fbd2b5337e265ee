import jsonata from 'jsonata';
import { compileFastExpression } from './compile-fast-expression.ts';
import type { FastExpression } from './compile-fast-expression.ts';
import type { MappingIssue, MappingIssueCode } from './mapping-issue.ts';

// Admin expressions run inside workers: bound them so a runaway recursion cannot stall a queue.
// The timeout is wall-clock and other work interleaves with async evaluation, hence the margin.
const LIMITS = { timeout: 2_000, stack: 500 };

/** Compiles JSONata text, turning a syntax error into an issue at `where` with its position. */
export function compileExpression(
  text: string,
  where: string,
): { ok: true; expression: jsonata.Expression } | { ok: false; error: MappingIssue } {
  try {
    return { ok: true, expression: jsonata(text, LIMITS) };
  } catch (error) {
    return { ok: false, error: expressionIssue(error, where, 'invalid_expression') };
  }
}

/**
 * The synchronous fast path for an expression compiled by `compileExpression`, or undefined when
 * the expression is outside the subset compile-fast-expression.ts handles. `binding` names the one
 * variable every evaluation binds (`value` for `$value`).
 */
export function fastExpression(expression: jsonata.Expression, binding: string): FastExpression | undefined {
  // The fast path evaluates each node at most once per input, so JSONata's nesting depth for an
  // expression it accepts stays under its node count; half the stack limit keeps D1011 (which
  // the fast path would not raise) out of reach. The wall-clock timeout has no fast-path
  // counterpart: these expressions finish in microseconds.
  return compileFastExpression(expression.ast(), { binding, maxNodes: Math.floor(LIMITS.stack / 2) });
}

/** Converts an error thrown by jsonata (which carries `code`, `position`, `token`) into an issue. */
export function expressionIssue(error: unknown, where: string, code: MappingIssueCode): MappingIssue {
  if (typeof error !== 'object' || error === null) {
    return { path: where, code, message: String(error) };
  }
  const details = error as { message?: unknown; code?: unknown; position?: unknown; token?: unknown };
  const message = typeof details.message === 'string' ? details.message : String(error);
  const issue: MappingIssue = {
    path: where,
    code,
    message: typeof details.code === 'string' ? `JSONata ${details.code}: ${message}` : message,
  };
  if (typeof details.position === 'number') issue.position = details.position;
  if (typeof details.token === 'string') issue.token = details.token;
  return issue;
}
