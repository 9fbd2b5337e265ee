import jsonata from 'jsonata';

/** Longest conditional-dependency expression accepted. */
export const MAX_CONDITION_EXPRESSION_LENGTH = 500;

// Bounds on one evaluation, so a tenant's expression cannot stall a request.
const LIMITS = { timeout: 100, stack: 50, sequence: 10_000 } as const;

/** Why an expression was refused or failed. */
export interface ExpressionError {
  code: 'invalid_expression' | 'expression_failed';
  message: string;
  position?: number;
}

/**
 * Compiles a conditional-dependency expression (JSONata over the predecessor's attributes) to
 * check it at save time.
 *
 * @example checkConditionExpression('percentComplete >= 50') // { ok: true }
 * @example checkConditionExpression('percentComplete >=') // { ok: false, error: { code: 'invalid_expression', ... } }
 */
export function checkConditionExpression(expression: string): { ok: true } | { ok: false; error: ExpressionError } {
  const compiled = compile(expression);
  return compiled.ok ? { ok: true } : compiled;
}

/**
 * Evaluates an expression over a predecessor's facts. It holds only when the result is exactly
 * `true`: a missing attribute yields `undefined` and so does not hold.
 */
export async function evaluateConditionExpression(
  expression: string,
  facts: Readonly<Record<string, unknown>>,
): Promise<{ ok: true; value: boolean } | { ok: false; error: ExpressionError }> {
  const compiled = compile(expression);
  if (!compiled.ok) return compiled;
  try {
    const result: unknown = await compiled.value.evaluate(facts);
    return { ok: true, value: result === true };
  } catch (cause) {
    return { ok: false, error: { code: 'expression_failed', message: messageOf(cause) } };
  }
}

function compile(expression: string): { ok: true; value: jsonata.Expression } | { ok: false; error: ExpressionError } {
  if (expression.trim() === '') return { ok: false, error: { code: 'invalid_expression', message: 'expression is empty' } };
  if (expression.length > MAX_CONDITION_EXPRESSION_LENGTH) {
    const message = `expression is longer than ${MAX_CONDITION_EXPRESSION_LENGTH} characters`;
    return { ok: false, error: { code: 'invalid_expression', message } };
  }
  try {
    return { ok: true, value: jsonata(expression, LIMITS) };
  } catch (cause) {
    const position = (cause as { position?: unknown }).position;
    return {
      ok: false,
      error: { code: 'invalid_expression', message: messageOf(cause), ...(typeof position === 'number' ? { position } : {}) },
    };
  }
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String((cause as { message?: unknown })?.message ?? cause);
}
