import jsonata from 'jsonata';
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
