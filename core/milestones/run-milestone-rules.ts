import { listActiveRules } from '../definitions/index.ts';
import { applyRuleEffects, runRules, type RuleEffects } from '../rules/index.ts';
import type { TenantStore } from '../store/index.ts';
import type { MilestoneDraft } from './milestone-draft.ts';

/** Fields business rules may set on a milestone; others they name are reported and left alone. */
export const RULE_SETTABLE_FIELDS = new Set([
  'title',
  'description',
  'type',
  'category',
  'tags',
  'priority',
  'risk',
  'complexity',
  'region',
  'percentComplete',
  'gracePeriodDays',
  'customFields',
]);

/** What a rule run leaves to apply. */
export interface MilestoneRuleOutcome {
  effects: RuleEffects | undefined;
  blocked: boolean;
  matched: string[];
}

/**
 * Runs the tenant's active rules for `event` over `facts`. Returns nothing to do without a
 * single active rule, which keeps bulk writes free of rule overhead.
 */
export async function runMilestoneRules(db: TenantStore, event: string, facts: Record<string, unknown>): Promise<MilestoneRuleOutcome> {
  const rules = await listActiveRules(db, event);
  if (rules.length === 0) return { effects: undefined, blocked: false, matched: [] };
  const run = await runRules({ rules, event, facts });
  return { effects: run.effects, blocked: run.blocked, matched: run.matched.map((m) => m.ruleId) };
}

/**
 * Applies rule `set` and `add-tag` effects to a draft, limited to {@link RULE_SETTABLE_FIELDS};
 * returns the new draft and the fields it refused.
 */
export function applySettableEffects<T extends Partial<MilestoneDraft>>(draft: T, effects: RuleEffects | undefined): { draft: T; refused: string[] } {
  if (!effects || (Object.keys(effects.set).length === 0 && effects.addTags.length === 0)) return { draft, refused: [] };
  const refused: string[] = [];
  const set: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(effects.set)) {
    if (RULE_SETTABLE_FIELDS.has(field.split('.')[0]!)) set[field] = value;
    else refused.push(field);
  }
  const next = applyRuleEffects({ ...draft, tags: draft.tags ?? [] } as Record<string, unknown>, { set, addTags: effects.addTags }) as T;
  return { draft: next, refused };
}
