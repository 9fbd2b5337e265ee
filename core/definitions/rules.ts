import { applyRuleEffects, ruleSchema, runRules, type Rule, type RuleRun } from '../rules/index.ts';
import { DuplicateKeyError, newId, type Page, type TenantStore } from '../store/index.ts';
import { rulesCollection, type RuleDoc } from './collections.ts';
import { fail, invalid, ok, type DefinitionIssue, type DefinitionResult } from './definition-result.ts';
import { findUnstorableKeys } from './find-unstorable-keys.ts';
import { issuesFromZod } from './issues-from-zod.ts';
import { listActiveRules, ruleFromDoc } from './list-active-rules.ts';
import { mergePatch } from './merge-patch.ts';

/** Rule ids appear in URLs, so they are kept to URL-safe characters. */
export const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** A stored rule with its bookkeeping; `version` is the basis of optimistic concurrency. */
export type RuleView = Rule & { priority: number; version: number; createdAt: Date; updatedAt: Date };

const view = (doc: RuleDoc): RuleView => ({ ...ruleFromDoc(doc), priority: doc.priority, version: doc.version, createdAt: doc.createdAt, updatedAt: doc.updatedAt });

/** Validates a rule document with `ruleSchema`, then that its id is URL-safe and the store can hold it. */
export function validateRule(input: unknown, pathPrefix: readonly PropertyKey[] = []): DefinitionResult<Rule> {
  const parsed = ruleSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error.issues, pathPrefix));
  const at = (path: string): string => [...pathPrefix.map(String), ...(path === '' ? [] : [path])].join('.');
  const issues: DefinitionIssue[] = [];
  if (!RULE_ID.test(parsed.data.id)) issues.push({ path: at('id'), message: 'rule ids use letters, digits, _ or - (at most 64)' });
  for (const issue of findUnstorableKeys(parsed.data)) issues.push({ ...issue, path: at(issue.path) });
  return issues.length > 0 ? invalid(issues) : ok(parsed.data);
}

const fields = (rule: Rule): Omit<RuleDoc, '_id' | 'tenantId' | 'version' | 'createdAt' | 'updatedAt'> => ({
  ruleId: rule.id,
  name: rule.name,
  enabled: rule.enabled,
  when: rule.when,
  then: rule.then,
  priority: rule.priority ?? 0,
});

/** Stores a new rule; without an `id` one is generated. */
export async function createRule(db: TenantStore, input: unknown): Promise<DefinitionResult<RuleView>> {
  const withId = input !== null && typeof input === 'object' && !Array.isArray(input) && !('id' in input) ? { id: newId('rule'), ...input } : input;
  const checked = validateRule(withId);
  if (!checked.ok) return checked;
  try {
    return ok(view(await db.collection(rulesCollection).insert(fields(checked.value))));
  } catch (err) {
    if (err instanceof DuplicateKeyError) return fail('already_exists', `a rule '${checked.value.id}' already exists`);
    throw err;
  }
}

export async function getRule(db: TenantStore, id: string): Promise<DefinitionResult<RuleView>> {
  const doc = await db.collection(rulesCollection).findOne({ ruleId: id });
  return doc ? ok(view(doc)) : fail('not_found', `no rule '${id}'`);
}

/** The tenant's rules in creation order, optionally for one event or enabled state. */
export async function listRules(
  db: TenantStore,
  options: { event?: string; enabled?: boolean; limit?: number; cursor?: string | null } = {},
): Promise<Page<RuleView>> {
  const filter = {
    ...(options.event === undefined ? {} : { 'when.event': options.event }),
    ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
  };
  const page = await db.collection(rulesCollection).page(filter, { limit: options.limit ?? 50, cursor: options.cursor ?? null });
  return { items: page.items.map(view), nextCursor: page.nextCursor };
}

/**
 * Changes a rule: `changes` is a JSON merge patch over the rule (without `id`), revalidated as a
 * whole. `null` removes `priority` or `when.condition`. With `expectedVersion` a stale write
 * throws the store's VersionConflictError.
 */
export async function updateRule(
  db: TenantStore,
  id: string,
  changes: Record<string, unknown>,
  options: { expectedVersion?: number } = {},
): Promise<DefinitionResult<RuleView>> {
  const rules = db.collection(rulesCollection);
  const doc = await rules.findOne({ ruleId: id });
  if (!doc) return fail('not_found', `no rule '${id}'`);
  if (changes.id !== undefined && changes.id !== id) return invalid([{ path: 'id', message: 'a rule keeps its id; create a new rule instead' }]);
  const merged = mergePatch(ruleFromDoc(doc), { ...changes, id });
  const checked = validateRule(merged);
  if (!checked.ok) return checked;
  const next = fields(checked.value);
  const updated = await rules.updateOne(
    { ruleId: id },
    { $set: { name: next.name, enabled: next.enabled, when: next.when, then: next.then, priority: next.priority } },
    options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion },
  );
  return updated ? ok(view(updated)) : fail('not_found', `no rule '${id}'`);
}

export async function deleteRule(db: TenantStore, id: string): Promise<boolean> {
  return db.collection(rulesCollection).deleteOne({ ruleId: id });
}

/** What to try in {@link dryRunRules}: stored rules by id, rules written inline, or neither. */
export interface DryRunRequest {
  event: string;
  facts: Record<string, unknown>;
  ruleIds?: string[];
  rules?: unknown[];
}

/** A dry run's answer: the rule run, plus the facts as the `set` and `add-tag` effects would leave them. */
export type DryRun = RuleRun & { result: Record<string, unknown> };

/**
 * Runs rules over sample facts and reports what they would do, applying nothing. Without
 * `ruleIds` or `rules` the tenant's enabled rules for the event run, as in a real run; rules
 * named by id or written inline run even when disabled, so a rule can be tried before it is
 * switched on.
 */
export async function dryRunRules(db: TenantStore, request: DryRunRequest): Promise<DefinitionResult<DryRun>> {
  let rules: Rule[];
  if (request.rules !== undefined) {
    const issues: DefinitionIssue[] = [];
    rules = [];
    request.rules.forEach((input, i) => {
      const withId = input !== null && typeof input === 'object' && !Array.isArray(input) && !('id' in input) ? { id: `inline-${i + 1}`, ...input } : input;
      const checked = validateRule(withId, ['rules', i]);
      if (checked.ok) rules.push({ ...checked.value, enabled: true });
      else if (checked.error.code === 'invalid_definition') issues.push(...checked.error.issues);
    });
    if (issues.length > 0) return invalid(issues);
  } else if (request.ruleIds !== undefined) {
    const docs = await db.collection(rulesCollection).find({ ruleId: { $in: request.ruleIds } });
    const byId = new Map(docs.map((doc) => [doc.ruleId, doc]));
    const missing = request.ruleIds.flatMap((id, i) => (byId.has(id) ? [] : [{ path: `ruleIds.${i}`, message: `no rule '${id}'` }]));
    if (missing.length > 0) return invalid(missing, 'invalid_options');
    rules = request.ruleIds.map((id) => ({ ...ruleFromDoc(byId.get(id) as RuleDoc), enabled: true }));
  } else {
    rules = await listActiveRules(db, request.event);
  }
  const run = await runRules({ rules, event: request.event, facts: request.facts });
  return ok({ ...run, result: applyRuleEffects(request.facts, run.effects) });
}
