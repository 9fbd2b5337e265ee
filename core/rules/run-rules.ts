import { evaluateCondition } from '../workflow/index.ts';
import type { Rule, RuleAction } from './rule-schema.ts';

/** A rule whose event and condition matched. */
export interface RuleMatch {
  ruleId: string;
  name: string;
  priority: number;
}

/** What the matched rules ask for, merged. */
export interface RuleEffects {
  /** Field path → value. When rules disagree the first (highest priority) wins. */
  set: Record<string, unknown>;
  /** Tags to add that the facts' `tags` do not already hold. */
  addTags: string[];
  blocks: { ruleId: string; reason: string }[];
  notifications: { ruleId: string; to: string; template?: string }[];
  escalations: { ruleId: string; level: number }[];
}

/** The outcome of {@link runRules}. */
export interface RuleRun {
  event: string;
  matched: RuleMatch[];
  /** Every action of every matched rule, in run order. */
  actions: { ruleId: string; action: RuleAction }[];
  effects: RuleEffects;
  /** True when a matched rule blocks the transition being attempted. */
  blocked: boolean;
  /** Rules whose condition could not be evaluated; they are treated as not matching. */
  errors: { ruleId: string; message: string }[];
}

/**
 * Runs a tenant's rules for one event over a set of facts (the milestone's attributes, plus
 * `from`/`to` for transitions) and returns what they would do. It changes nothing, so a
 * dry run and a real run get the same answer; the caller applies `effects` in the real run
 * (see `applyRuleEffects`). Rules run by priority, highest first, then in list order. All rules
 * see the same facts: one rule's `set` does not feed another's condition, so the result never
 * depends on evaluation loops.
 *
 * @example
 * const run = await runRules({ rules, event: 'milestone.updated', facts: { percentComplete: 100, tags: [] } });
 * run.effects.addTags // ['ready-to-bill']
 */
export async function runRules(input: {
  rules: readonly Rule[];
  event: string;
  facts: Readonly<Record<string, unknown>>;
}): Promise<RuleRun> {
  const { rules, event, facts } = input;
  const ordered = rules
    .map((rule, position) => ({ rule, position, priority: rule.priority ?? 0 }))
    .filter(({ rule }) => rule.enabled && rule.when.event === event)
    .sort((a, b) => b.priority - a.priority || a.position - b.position);

  const run: RuleRun = {
    event,
    matched: [],
    actions: [],
    effects: { set: {}, addTags: [], blocks: [], notifications: [], escalations: [] },
    blocked: false,
    errors: [],
  };
  const existingTags = new Set(Array.isArray(facts.tags) ? facts.tags.filter((t) => typeof t === 'string') : []);
  for (const { rule, priority } of ordered) {
    if (rule.when.condition) {
      const verdict = await evaluateCondition(rule.when.condition, facts);
      if (!verdict.ok) {
        run.errors.push({ ruleId: rule.id, message: verdict.error.message });
        continue;
      }
      if (!verdict.value.passed) continue;
    }
    run.matched.push({ ruleId: rule.id, name: rule.name, priority });
    for (const action of rule.then) {
      run.actions.push({ ruleId: rule.id, action });
      collect(run, rule.id, action, existingTags);
    }
  }
  run.blocked = run.effects.blocks.length > 0;
  return run;
}

function collect(run: RuleRun, ruleId: string, action: RuleAction, existingTags: Set<unknown>): void {
  const { effects } = run;
  switch (action.type) {
    case 'set':
      if (!Object.hasOwn(effects.set, action.field)) effects.set[action.field] = action.value;
      return;
    case 'add-tag':
      if (!existingTags.has(action.tag) && !effects.addTags.includes(action.tag)) effects.addTags.push(action.tag);
      return;
    case 'block-transition':
      effects.blocks.push({ ruleId, reason: action.reason });
      return;
    case 'notify':
      effects.notifications.push({
        ruleId,
        to: action.to,
        ...(action.template === undefined ? {} : { template: action.template }),
      });
      return;
    case 'escalate':
      effects.escalations.push({ ruleId, level: action.level ?? 1 });
      return;
  }
}
