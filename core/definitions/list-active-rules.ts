import type { Rule } from '../rules/index.ts';
import type { TenantStore } from '../store/index.ts';
import { rulesCollection, type RuleDoc } from './collections.ts';

/** A stored rule in the shape `runRules` takes. */
export function ruleFromDoc(doc: RuleDoc): Rule {
  return {
    id: doc.ruleId,
    name: doc.name,
    enabled: doc.enabled,
    when: doc.when.condition === undefined ? { event: doc.when.event } : { event: doc.when.event, condition: doc.when.condition },
    then: doc.then,
    priority: doc.priority,
  };
}

/**
 * The tenant's enabled rules for one event, highest priority first (then oldest first), ready
 * for `runRules`.
 *
 * @example
 * const rules = await listActiveRules(db, 'milestone.transitioning');
 * const run = await runRules({ rules, event: 'milestone.transitioning', facts });
 */
export async function listActiveRules(db: TenantStore, event: string): Promise<Rule[]> {
  const docs = await db.collection(rulesCollection).find({ 'when.event': event, enabled: true }, { sort: { priority: -1, _id: 1 } });
  return docs.map(ruleFromDoc);
}
