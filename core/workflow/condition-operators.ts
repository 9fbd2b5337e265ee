import type { Engine } from 'json-rules-engine';
import { compileSafePattern } from './safe-pattern.ts';

/** Operators json-rules-engine ships with. */
export const BUILT_IN_OPERATORS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
] as const;

/**
 * Operators the hub adds. Dates compare as instants, so `'2025-04-01'` (UTC midnight) and
 * `'2025-04-01T10:00:00+05:30'` are comparable. `matches` takes a regular expression that
 * {@link compileSafePattern} accepts and only tests strings up to {@link MAX_MATCH_INPUT} long.
 */
export const HUB_OPERATORS = ['before', 'after', 'onOrBefore', 'onOrAfter', 'matches'] as const;

/** Every operator a condition may name. */
export const CONDITION_OPERATORS = [...BUILT_IN_OPERATORS, ...HUB_OPERATORS] as const;

/** One of {@link CONDITION_OPERATORS}. */
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** Longest string `matches` will test; longer facts do not match. */
export const MAX_MATCH_INPUT = 1_000;

// Strict ISO 8601 so that Date.parse's lenient guesses ('1', 'March 5') never become dates.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Milliseconds since the epoch for an ISO date, ISO date-time or Date; undefined otherwise. */
export function toInstant(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function compareInstants(test: (a: number, b: number) => boolean) {
  return (factValue: unknown, compareTo: unknown): boolean => {
    const a = toInstant(factValue);
    const b = toInstant(compareTo);
    return a !== undefined && b !== undefined && test(a, b);
  };
}

function matches(factValue: unknown, pattern: unknown): boolean {
  if (typeof factValue !== 'string' || typeof pattern !== 'string') return false;
  if (factValue.length > MAX_MATCH_INPUT) return false;
  const compiled = compileSafePattern(pattern);
  return compiled.ok && compiled.value.test(factValue);
}

/** Registers {@link HUB_OPERATORS} on an engine. */
export function addHubOperators(engine: Engine): void {
  engine.addOperator('before', compareInstants((a, b) => a < b));
  engine.addOperator('after', compareInstants((a, b) => a > b));
  engine.addOperator('onOrBefore', compareInstants((a, b) => a <= b));
  engine.addOperator('onOrAfter', compareInstants((a, b) => a >= b));
  engine.addOperator('matches', matches);
}
