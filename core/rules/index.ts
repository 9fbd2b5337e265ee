export { PROTECTED_FIELDS, RULE_EVENTS, ruleActionSchema, ruleSchema } from './rule-schema.ts';
export type { Rule, RuleAction, RuleEvent, RuleInput } from './rule-schema.ts';
export { runRules } from './run-rules.ts';
export type { RuleEffects, RuleMatch, RuleRun } from './run-rules.ts';
export { applyRuleEffects } from './apply-rule-effects.ts';
