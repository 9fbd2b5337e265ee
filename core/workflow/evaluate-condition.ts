import { Engine } from 'json-rules-engine';
import type { TopLevelConditionResult } from 'json-rules-engine';
import { addHubOperators } from './condition-operators.ts';
import type { Condition } from './condition-schema.ts';

/** A comparison that made a condition fail, with the fact value it saw. */
export interface FailedComparison {
  fact: string;
  operator: string;
  value: unknown;
  path?: string;
  /** The fact's value when compared; `undefined` when the fact was missing. */
  actual: unknown;
  /** True when the comparison failed by succeeding inside a `not`. */
  negated: boolean;
}

/** What {@link evaluateCondition} found. */
export interface ConditionVerdict {
  passed: boolean;
  /** Empty when `passed`; otherwise the comparisons to blame. */
  failed: FailedComparison[];
}

/** The outcome of {@link evaluateCondition}. */
export type ConditionEvaluation =
  | { ok: true; value: ConditionVerdict }
  | { ok: false; error: { code: 'condition_error'; message: string } };

/**
 * Evaluates one condition over a set of facts with json-rules-engine and the hub's operators.
 * Missing facts compare as `undefined` (so `greaterThan` is simply false) instead of failing.
 * Guards and business rules both go through here, so they read conditions identically.
 *
 * @example
 * await evaluateCondition(
 *   { all: [{ fact: 'percentComplete', operator: 'greaterThanInclusive', value: 100 }] },
 *   { percentComplete: 80 },
 * ) // { ok: true, value: { passed: false, failed: [{ fact: 'percentComplete', actual: 80, ... }] } }
 */
export async function evaluateCondition(
  condition: Condition,
  facts: Readonly<Record<string, unknown>>,
): Promise<ConditionEvaluation> {
  // A fresh engine per call: engines hold rules and facts, and sharing one would leak state.
  const engine = new Engine([], { allowUndefinedFacts: true, pathResolver: resolveDottedPath });
  addHubOperators(engine);
  engine.addRule({ conditions: condition, event: { type: 'passed' } });
  try {
    const outcome = await engine.run(dataFacts(facts));
    const passed = outcome.results.length > 0;
    const ruleResult = passed ? undefined : outcome.failureResults[0];
    const failed: FailedComparison[] = [];
    if (ruleResult) collectBlame(ruleResult.conditions, false, failed);
    return { ok: true, value: { passed, failed } };
  } catch (cause) {
    return { ok: false, error: { code: 'condition_error', message: cause instanceof Error ? cause.message : String(cause) } };
  }
}

// json-rules-engine calls function-valued facts; facts here are data, so functions are dropped.
function dataFacts(facts: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(facts)) {
    if (typeof value !== 'function') out[key] = value;
  }
  return out;
}

function resolveDottedPath(value: object, path: string): unknown {
  let current: unknown = value;
  for (const segment of path.replace(/^\$\./, '').split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

interface EvaluatedNode {
  result?: boolean;
  all?: EvaluatedNode[];
  any?: EvaluatedNode[];
  not?: EvaluatedNode;
  fact?: string;
  operator?: string;
  value?: unknown;
  path?: string;
  factResult?: unknown;
}

function collectBlame(node: TopLevelConditionResult | EvaluatedNode, negated: boolean, into: FailedComparison[]): void {
  const evaluated = node as EvaluatedNode;
  // A group (or comparison) is to blame only when its result points the failing way.
  if (evaluated.result !== undefined && evaluated.result !== negated) return;
  const children = evaluated.all ?? evaluated.any;
  if (children) {
    for (const child of children) collectBlame(child, negated, into);
    return;
  }
  if (evaluated.not) {
    collectBlame(evaluated.not, !negated, into);
    return;
  }
  // Under a `not`, the comparison to blame is one that held; unevaluated ones are skipped.
  if (evaluated.fact === undefined || evaluated.result === undefined) return;
  into.push({
    fact: evaluated.fact,
    operator: String(evaluated.operator),
    value: evaluated.value,
    ...(evaluated.path === undefined ? {} : { path: evaluated.path }),
    actual: evaluated.factResult,
    negated,
  });
}
