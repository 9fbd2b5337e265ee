import { z } from 'zod';
import { CONDITION_OPERATORS } from './condition-operators.ts';
import type { ConditionOperator } from './condition-operators.ts';
import { compileSafePattern } from './safe-pattern.ts';

/** A comparison of one fact, in json-rules-engine's condition format. */
export interface ConditionLeaf {
  fact: string;
  operator: ConditionOperator;
  /** A literal, or `{ fact: 'otherFact' }` to compare two facts. Required; may be null. */
  value: unknown;
  /** A dotted path into an object fact (`address.stateCode` or `$.address.stateCode`). */
  path?: string;
}

/** A leaf or a nested boolean group. */
export type ConditionNode = ConditionLeaf | { all: ConditionNode[] } | { any: ConditionNode[] } | { not: ConditionNode };

/** A complete condition: json-rules-engine requires a boolean group at the top. */
export type Condition = { all: ConditionNode[] } | { any: ConditionNode[] } | { not: ConditionNode };

/** Deepest nesting of groups accepted. */
export const MAX_CONDITION_DEPTH = 8;
/** Most leaves accepted in one condition. */
export const MAX_CONDITION_LEAVES = 100;

const FACT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FACT_PATH = /^(\$\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

const leafSchema = z
  .object({
    fact: z.string().regex(FACT_NAME, 'fact must be an identifier'),
    operator: z.enum(CONDITION_OPERATORS),
    value: z.unknown().refine((value) => value !== undefined, 'value is required'),
    // Only plain dotted paths: json-rules-engine would otherwise hand the path to JSONPath.
    path: z.string().regex(FACT_PATH, 'path must be a dotted property path').optional(),
  })
  .strict()
  .superRefine((leaf, ctx) => {
    if (leaf.operator !== 'matches') return;
    if (typeof leaf.value !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'matches needs a regular expression string' });
      return;
    }
    const compiled = compileSafePattern(leaf.value);
    if (!compiled.ok) ctx.addIssue({ code: 'custom', path: ['value'], message: compiled.error.message });
  });

const nodeSchema: z.ZodType<ConditionNode> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(nodeSchema) }).strict(),
    z.object({ any: z.array(nodeSchema) }).strict(),
    z.object({ not: nodeSchema }).strict(),
    leafSchema,
  ]),
);

/**
 * Validates a condition in json-rules-engine's format, restricted to the operators in
 * {@link CONDITION_OPERATORS}, plain fact paths and bounded size, so that a stored rule cannot
 * reach JSONPath scripting or grow without limit.
 *
 * @example conditionSchema.parse({ all: [{ fact: 'percentComplete', operator: 'greaterThanInclusive', value: 100 }] })
 */
export const conditionSchema: z.ZodType<Condition> = z
  .union([
    z.object({ all: z.array(nodeSchema) }).strict(),
    z.object({ any: z.array(nodeSchema) }).strict(),
    z.object({ not: nodeSchema }).strict(),
  ])
  .superRefine((condition, ctx) => {
    const size = measure(condition, 1);
    if (size.depth > MAX_CONDITION_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `condition nests deeper than ${MAX_CONDITION_DEPTH} levels` });
    }
    if (size.leaves > MAX_CONDITION_LEAVES) {
      ctx.addIssue({ code: 'custom', message: `condition has more than ${MAX_CONDITION_LEAVES} comparisons` });
    }
  });

function measure(node: ConditionNode, depth: number): { depth: number; leaves: number } {
  const children = 'all' in node ? node.all : 'any' in node ? node.any : 'not' in node ? [node.not] : undefined;
  if (!children) return { depth, leaves: 1 };
  let deepest = depth;
  let leaves = 0;
  for (const child of children) {
    const size = measure(child, depth + 1);
    deepest = Math.max(deepest, size.depth);
    leaves += size.leaves;
  }
  return { depth: deepest, leaves };
}
