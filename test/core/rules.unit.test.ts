import { describe, expect, it } from 'vitest';
import { applyRuleEffects, ruleSchema, runRules } from '../../core/rules/index.ts';
import type { Rule, RuleInput } from '../../core/rules/index.ts';

const rules: Rule[] = (
  [
    {
      id: 'ready-to-bill',
      name: 'Complete work is ready to bill',
      when: { event: 'milestone.updated', condition: { all: [{ fact: 'percentComplete', operator: 'equal', value: 100 }] } },
      then: [
        { type: 'add-tag', tag: 'ready-to-bill' },
        { type: 'set', field: 'customFields.billingStage', value: 'ready' },
        { type: 'notify', to: 'manager', template: 'rule.notice' },
      ],
    },
    {
      id: 'big-ticket',
      name: 'Large milestones go to the owner too',
      priority: 10,
      when: { event: 'milestone.updated', condition: { all: [{ fact: 'amountPaise', operator: 'greaterThanInclusive', value: 10_000_000_00 }] } },
      then: [
        { type: 'notify', to: 'owner' },
        { type: 'set', field: 'customFields.billingStage', value: 'review' },
        { type: 'escalate', level: 2 },
      ],
    },
    {
      id: 'always-escalate',
      name: 'Escalate every update',
      enabled: false,
      when: { event: 'milestone.updated' },
      then: [{ type: 'escalate' }],
    },
    {
      id: 'no-verify-without-photos',
      name: 'Site photos before verification',
      when: {
        event: 'milestone.transitioning',
        condition: { all: [{ fact: 'to', operator: 'equal', value: 'verified' }, { fact: 'tags', operator: 'doesNotContain', value: 'photos' }] },
      },
      then: [{ type: 'block-transition', reason: 'Upload site photos before verifying' }, { type: 'notify', to: 'person_42' }],
    },
    {
      id: 'overdue',
      name: 'Escalate overdue milestones',
      when: { event: 'milestone.overdue' },
      then: [{ type: 'escalate' }],
    },
  ] satisfies RuleInput[]
).map((rule) => ruleSchema.parse(rule));

describe('runRules', () => {
  it('returns matched rules and their actions by priority, without changing the facts', async () => {
    const facts = { percentComplete: 100, amountPaise: 25_000_000_00, tags: ['civil'] };
    const snapshot = structuredClone(facts);
    const run = await runRules({ rules, event: 'milestone.updated', facts });
    expect(run.matched.map((m) => m.ruleId)).toEqual(['big-ticket', 'ready-to-bill']);
    expect(run.actions.map((a) => [a.ruleId, a.action.type])).toEqual([
      ['big-ticket', 'notify'],
      ['big-ticket', 'set'],
      ['big-ticket', 'escalate'],
      ['ready-to-bill', 'add-tag'],
      ['ready-to-bill', 'set'],
      ['ready-to-bill', 'notify'],
    ]);
    expect(run.effects).toEqual({
      // Both rules set billingStage; the higher-priority rule wins.
      set: { 'customFields.billingStage': 'review' },
      addTags: ['ready-to-bill'],
      blocks: [],
      notifications: [
        { ruleId: 'big-ticket', to: 'owner' },
        { ruleId: 'ready-to-bill', to: 'manager', template: 'rule.notice' },
      ],
      escalations: [{ ruleId: 'big-ticket', level: 2 }],
    });
    expect(run.blocked).toBe(false);
    expect(facts).toEqual(snapshot);
  });

  it('gives the same answer when run twice, so a dry run shows what a real run does', async () => {
    const input = { rules, event: 'milestone.updated', facts: { percentComplete: 100, amountPaise: 1 } };
    expect(await runRules(input)).toEqual(await runRules(input));
  });

  it('matches nothing when conditions fail, the event differs or the rule is disabled', async () => {
    const run = await runRules({ rules, event: 'milestone.updated', facts: { percentComplete: 50, amountPaise: 1 } });
    expect(run.matched).toEqual([]);
    expect(run.actions).toEqual([]);
    expect((await runRules({ rules, event: 'milestone.created', facts: { percentComplete: 100 } })).matched).toEqual([]);
  });

  it('blocks a transition and says why', async () => {
    const run = await runRules({ rules, event: 'milestone.transitioning', facts: { from: 'submitted', to: 'verified', tags: [] } });
    expect(run.blocked).toBe(true);
    expect(run.effects.blocks).toEqual([{ ruleId: 'no-verify-without-photos', reason: 'Upload site photos before verifying' }]);
    expect(run.effects.notifications).toEqual([{ ruleId: 'no-verify-without-photos', to: 'person_42' }]);
    const withPhotos = await runRules({ rules, event: 'milestone.transitioning', facts: { to: 'verified', tags: ['photos'] } });
    expect(withPhotos.blocked).toBe(false);
  });

  it('escalates at level 1 unless told otherwise', async () => {
    const run = await runRules({ rules, event: 'milestone.overdue', facts: {} });
    expect(run.effects.escalations).toEqual([{ ruleId: 'overdue', level: 1 }]);
  });

  it('does not add a tag the milestone already has', async () => {
    const run = await runRules({ rules, event: 'milestone.updated', facts: { percentComplete: 100, tags: ['ready-to-bill'] } });
    expect(run.actions.some((a) => a.action.type === 'add-tag')).toBe(true);
    expect(run.effects.addTags).toEqual([]);
  });

  it('reports a rule whose condition cannot be evaluated and treats it as not matching', async () => {
    const broken = { ...(rules[4] as Rule), id: 'broken', when: { event: 'milestone.overdue' as const, condition: { all: [{ fact: 'x', operator: 'nope' as never, value: 1 }] } } };
    const run = await runRules({ rules: [broken], event: 'milestone.overdue', facts: {} });
    expect(run.errors).toEqual([{ ruleId: 'broken', message: 'Unknown operator: nope' }]);
    expect(run.matched).toEqual([]);
  });
});

describe('applyRuleEffects', () => {
  it('applies set and add-tag to a copy', () => {
    const milestone = { title: 'Slab', tags: ['civil'], customFields: { siteArea: 120 } };
    const updated = applyRuleEffects(milestone, { set: { 'customFields.billingStage': 'ready', priority: 'high' }, addTags: ['ready-to-bill', 'civil'] });
    expect(updated).toEqual({
      title: 'Slab',
      tags: ['civil', 'ready-to-bill'],
      customFields: { siteArea: 120, billingStage: 'ready' },
      priority: 'high',
    });
    expect(milestone).toEqual({ title: 'Slab', tags: ['civil'], customFields: { siteArea: 120 } });
  });

  it('refuses prototype paths even when handed unvalidated effects', () => {
    expect(() => applyRuleEffects({}, { set: { '__proto__.polluted': true }, addTags: [] })).toThrow(TypeError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('ruleSchema', () => {
  const base = { id: 'r', name: 'R', when: { event: 'milestone.updated' } } as const;

  it('defaults enabled to true', () => {
    expect(ruleSchema.parse({ ...base, then: [{ type: 'escalate' }] }).enabled).toBe(true);
  });

  it('refuses block-transition outside milestone.transitioning', () => {
    const result = ruleSchema.safeParse({ ...base, then: [{ type: 'block-transition', reason: 'no' }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/milestone\.transitioning/);
  });

  it('refuses setting protected or prototype fields', () => {
    for (const field of ['status', 'tenantId', 'version', '__proto__.x', 'customFields.constructor', 'bad path']) {
      expect(ruleSchema.safeParse({ ...base, then: [{ type: 'set', field, value: 1 }] }).success, field).toBe(false);
    }
    expect(ruleSchema.safeParse({ ...base, then: [{ type: 'set', field: 'customFields.risk', value: 'high' }] }).success).toBe(true);
  });

  it('refuses unknown events, unknown actions and empty action lists', () => {
    expect(ruleSchema.safeParse({ ...base, when: { event: 'invoice.exploded' }, then: [{ type: 'escalate' }] }).success).toBe(false);
    expect(ruleSchema.safeParse({ ...base, then: [{ type: 'delete-everything' }] }).success).toBe(false);
    expect(ruleSchema.safeParse({ ...base, then: [] }).success).toBe(false);
  });
});
