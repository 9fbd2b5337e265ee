import type { RuleEffects } from './run-rules.ts';

const UNSAFE_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Returns a copy of `target` with the `set` and `addTags` effects applied; notifications,
 * escalations and blocks are for the caller to act on. Dotted fields create plain objects on
 * the way, replacing any non-object in between. `target` is not modified. Throws a TypeError
 * for a field naming `__proto__`, `prototype` or `constructor`, which `ruleSchema` never lets
 * through.
 *
 * @example applyRuleEffects({ tags: ['a'] }, { ...effects, set: { 'customFields.risk': 'high' }, addTags: ['b'] })
 * // { tags: ['a', 'b'], customFields: { risk: 'high' } }
 */
export function applyRuleEffects<T extends Record<string, unknown>>(
  target: T,
  effects: Pick<RuleEffects, 'set' | 'addTags'>,
): T {
  const result: Record<string, unknown> = structuredClone(target);
  for (const [field, value] of Object.entries(effects.set)) {
    const segments = field.split('.');
    if (segments.some((segment) => UNSAFE_SEGMENTS.has(segment))) throw new TypeError(`unsafe field path '${field}'`);
    const last = segments.pop() as string;
    let node = result;
    for (const segment of segments) {
      const child = node[segment];
      if (child === null || typeof child !== 'object' || Array.isArray(child)) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    node[last] = structuredClone(value);
  }
  if (effects.addTags.length > 0) {
    const tags = Array.isArray(result.tags) ? (result.tags as unknown[]) : [];
    result.tags = [...tags, ...effects.addTags.filter((tag) => !tags.includes(tag))];
  }
  return result as T;
}
