import { describe, expect, it } from 'vitest';
import { listActiveRules } from '../../core/definitions/index.ts';
import { testApp } from '../helpers/test-services.ts';
import { countDefinitionDocuments, keyWithRole } from './definitions-fixtures.ts';

type Problem = { status: number; code: string; detail: string; errors?: { path: string; message: string }[] };
type RuleOut = { id: string; name: string; enabled: boolean; priority: number; version: number; when: { event: string }; then: { type: string }[] };
type DryRunOut = {
  event: string;
  matched: { ruleId: string; priority: number }[];
  actions: { ruleId: string; action: { type: string } }[];
  effects: {
    set: Record<string, unknown>;
    addTags: string[];
    blocks: { ruleId: string; reason: string }[];
    notifications: { ruleId: string; to: string; template?: string }[];
    escalations: { ruleId: string; level: number }[];
  };
  blocked: boolean;
  errors: unknown[];
  result: Record<string, unknown>;
};

const complete = { all: [{ fact: 'percentComplete', operator: 'equal', value: 100 }] };

const readyToBill = {
  id: 'ready-to-bill',
  name: 'Tag complete milestones',
  when: { event: 'milestone.updated', condition: complete },
  then: [
    { type: 'add-tag', tag: 'ready-to-bill' },
    { type: 'set', field: 'customFields.billingStage', value: 'ready' },
    { type: 'notify', to: 'manager', template: 'rule.notice' },
  ],
};

const noEvidence = {
  id: 'needs-evidence',
  name: 'Verification needs evidence',
  priority: 10,
  when: {
    event: 'milestone.transitioning',
    condition: { all: [{ fact: 'to', operator: 'equal', value: 'verified' }, { fact: 'evidenceCount', operator: 'equal', value: 0 }] },
  },
  then: [
    { type: 'block-transition', reason: 'attach evidence before verifying' },
    { type: 'escalate', level: 2 },
  ],
};

async function setup() {
  const t = testApp();
  const acme = await t.tenant('acme');
  return { ...t, key: acme.key, tenantId: acme.id };
}

describe('rules', () => {
  it('creates, reads, lists, changes and deletes rules', async () => {
    const { call, key } = await setup();
    const created = await call('POST', '/v1/rules', { key, body: readyToBill });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 'ready-to-bill', enabled: true, priority: 0, version: 1 });

    const generated = (await (await call('POST', '/v1/rules', { key, body: { ...noEvidence, id: undefined } })).json()) as RuleOut;
    expect(generated.id).toMatch(/^rule_/);
    expect(generated.priority).toBe(10);

    expect(((await (await call('GET', '/v1/rules/ready-to-bill', { key })).json()) as RuleOut).then).toEqual(readyToBill.then);
    const all = (await (await call('GET', '/v1/rules', { key })).json()) as { items: RuleOut[]; nextCursor: string | null };
    expect(all.items.map((r) => r.id)).toEqual(['ready-to-bill', generated.id]);
    const transitioning = (await (await call('GET', '/v1/rules?event=milestone.transitioning', { key })).json()) as { items: RuleOut[] };
    expect(transitioning.items.map((r) => r.id)).toEqual([generated.id]);

    const disabled = await call('PATCH', '/v1/rules/ready-to-bill', { key, body: { enabled: false } });
    expect(disabled.status).toBe(200);
    expect(await disabled.json()).toMatchObject({ enabled: false, version: 2 });
    expect(((await (await call('GET', '/v1/rules?enabled=false', { key })).json()) as { items: RuleOut[] }).items.map((r) => r.id)).toEqual([
      'ready-to-bill',
    ]);
    const reprioritised = (await (await call('PATCH', '/v1/rules/ready-to-bill', { key, body: { enabled: true, priority: 50, version: 2 } })).json()) as RuleOut;
    expect(reprioritised).toMatchObject({ enabled: true, priority: 50, version: 3 });
    const unconditional = (await (await call('PATCH', '/v1/rules/ready-to-bill', { key, body: { when: { condition: null } } })).json()) as RuleOut;
    expect(unconditional.when).toEqual({ event: 'milestone.updated' });

    expect((await call('DELETE', '/v1/rules/ready-to-bill', { key })).status).toBe(204);
    expect((await call('GET', '/v1/rules/ready-to-bill', { key })).status).toBe(404);
    expect((await call('DELETE', '/v1/rules/ready-to-bill', { key })).status).toBe(404);
  });

  it('gives listActiveRules the enabled rules of one event, highest priority first', async () => {
    const { call, key, services, tenantId } = await setup();
    const rule = (id: string, priority: number, enabled = true) => ({
      id,
      name: id,
      priority,
      enabled,
      when: { event: 'milestone.overdue' },
      then: [{ type: 'escalate' }],
    });
    for (const body of [rule('low', -5), rule('high', 20), rule('off', 100, false), rule('mid', 0), readyToBill]) {
      expect((await call('POST', '/v1/rules', { key, body })).status).toBe(201);
    }
    const rules = await listActiveRules(services.store.forTenant(tenantId), 'milestone.overdue');
    expect(rules.map((r) => [r.id, r.priority])).toEqual([
      ['high', 20],
      ['mid', 0],
      ['low', -5],
    ]);
    expect(rules[0]).toEqual({ id: 'high', name: 'high', enabled: true, priority: 20, when: { event: 'milestone.overdue' }, then: [{ type: 'escalate' }] });
  });

  it('refuses invalid rules with 422 located issues', async () => {
    const { call, key } = await setup();
    const post = async (body: unknown) => (await call('POST', '/v1/rules', { key, body })).json() as Promise<Problem>;

    const badOperator = await post({ ...readyToBill, when: { event: 'milestone.updated', condition: { all: [{ fact: 'percentComplete', operator: 'like', value: 1 }] } } });
    expect(badOperator).toMatchObject({ status: 422, code: 'unprocessable' });
    expect(badOperator.errors?.[0]?.path).toBe('body.when.condition.all.0.operator');

    const badPattern = await post({ ...readyToBill, when: { event: 'milestone.updated', condition: { any: [{ fact: 'title', operator: 'matches', value: '(x|y+)*z' }] } } });
    expect(badPattern.status).toBe(422);
    expect(badPattern.errors?.[0]?.path).toBe('body.when.condition.any.0.value');

    const unparsable = await post({ ...readyToBill, when: { event: 'milestone.updated', condition: { all: [{ fact: 'title', operator: 'matches', value: '[a-' }] } } });
    expect(unparsable.status).toBe(422);

    const badEvent = await post({ ...readyToBill, when: { event: 'milestone.exploded' } });
    expect(badEvent.errors?.[0]?.path).toBe('body.when.event');

    const badAction = await post({ ...readyToBill, then: [{ type: 'teleport' }] });
    expect(badAction.status).toBe(422);
    expect(badAction.errors?.[0]?.path).toMatch(/^body\.then\.0/);

    const protectedField = await post({ ...readyToBill, then: [{ type: 'set', field: 'status', value: 'paid' }] });
    expect(protectedField.errors?.[0]).toMatchObject({ path: 'body.then.0.field' });

    const blockTooLate = await post({ ...readyToBill, then: [{ type: 'block-transition', reason: 'no' }] });
    expect(blockTooLate.errors?.[0]).toMatchObject({ path: 'body.then.0' });
    expect(blockTooLate.errors?.[0]?.message).toMatch(/milestone.transitioning/);

    const badId = await post({ ...readyToBill, id: 'has space' });
    expect(badId.errors?.[0]?.path).toBe('body.id');

    const unstorable = await post({ ...readyToBill, then: [{ type: 'set', field: 'customFields.meta', value: { $where: 'x' } }] });
    expect(unstorable.errors?.[0]?.path).toBe('body.then.0.value.$where');

    expect((await post({ name: 'nothing else' })).status).toBe(422);
    expect((await call('POST', '/v1/rules', { key, body: 'not json{' })).status).toBe(400);

    const dup = await call('POST', '/v1/rules', { key, body: readyToBill });
    expect(dup.status).toBe(201);
    expect((await call('POST', '/v1/rules', { key, body: readyToBill })).status).toBe(409);

    const badPatch = await call('PATCH', '/v1/rules/ready-to-bill', { key, body: { then: [] } });
    expect(badPatch.status).toBe(422);
    expect((await call('PATCH', '/v1/rules/ready-to-bill', { key, body: { id: 'renamed' } })).status).toBe(422);
    expect((await call('PATCH', '/v1/rules/ready-to-bill', { key, body: { version: 'one' } })).status).toBe(400);
    const stale = await call('PATCH', '/v1/rules/ready-to-bill', { key, body: { enabled: false, version: 7 } });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as Problem).code).toBe('version_conflict');
    expect((await call('PATCH', '/v1/rules/missing', { key, body: { enabled: false } })).status).toBe(404);
  });

  describe('dry run', () => {
    it('reports every action type and the resulting facts, applying nothing', async () => {
      const { call, key, services } = await setup();
      await call('POST', '/v1/rules', { key, body: readyToBill });
      await call('POST', '/v1/rules', { key, body: noEvidence });
      const before = await countDefinitionDocuments(services.store);

      const updated = await call('POST', '/v1/rules/dry-run', { key, body: { event: 'milestone.updated', facts: { percentComplete: 100, tags: ['civil'] } } });
      expect(updated.status).toBe(200);
      const run = (await updated.json()) as DryRunOut;
      expect(run.matched.map((m) => m.ruleId)).toEqual(['ready-to-bill']);
      expect(run.actions.map((a) => a.action.type)).toEqual(['add-tag', 'set', 'notify']);
      expect(run.effects).toEqual({
        set: { 'customFields.billingStage': 'ready' },
        addTags: ['ready-to-bill'],
        blocks: [],
        notifications: [{ ruleId: 'ready-to-bill', to: 'manager', template: 'rule.notice' }],
        escalations: [],
      });
      expect(run.blocked).toBe(false);
      expect(run.result).toEqual({ percentComplete: 100, tags: ['civil', 'ready-to-bill'], customFields: { billingStage: 'ready' } });

      const transitioning = (await (
        await call('POST', '/v1/rules/dry-run', { key, body: { event: 'milestone.transitioning', facts: { from: 'submitted', to: 'verified', evidenceCount: 0 } } })
      ).json()) as DryRunOut;
      expect(transitioning.blocked).toBe(true);
      expect(transitioning.effects.blocks).toEqual([{ ruleId: 'needs-evidence', reason: 'attach evidence before verifying' }]);
      expect(transitioning.effects.escalations).toEqual([{ ruleId: 'needs-evidence', level: 2 }]);

      const noMatch = (await (await call('POST', '/v1/rules/dry-run', { key, body: { event: 'milestone.updated', facts: { percentComplete: 40 } } })).json()) as DryRunOut;
      expect(noMatch.matched).toEqual([]);
      expect(noMatch.result).toEqual({ percentComplete: 40 });

      expect(await countDefinitionDocuments(services.store)).toEqual(before);
      expect(((await (await call('GET', '/v1/rules/ready-to-bill', { key })).json()) as RuleOut).version).toBe(1);
    });

    it('runs named rules even when disabled, and inline rules before they are saved', async () => {
      const { call, key, services } = await setup();
      await call('POST', '/v1/rules', { key, body: { ...readyToBill, enabled: false } });
      const active = (await (await call('POST', '/v1/rules/dry-run', { key, body: { event: 'milestone.updated', facts: { percentComplete: 100 } } })).json()) as DryRunOut;
      expect(active.matched).toEqual([]);
      const named = (await (
        await call('POST', '/v1/rules/dry-run', { key, body: { event: 'milestone.updated', facts: { percentComplete: 100 }, ruleIds: ['ready-to-bill'] } })
      ).json()) as DryRunOut;
      expect(named.matched.map((m) => m.ruleId)).toEqual(['ready-to-bill']);

      const before = await countDefinitionDocuments(services.store);
      const inline = (await (
        await call('POST', '/v1/rules/dry-run', {
          key,
          body: {
            event: 'milestone.overdue',
            facts: { daysOverdue: 12 },
            rules: [
              { name: 'late', when: { event: 'milestone.overdue', condition: { all: [{ fact: 'daysOverdue', operator: 'greaterThan', value: 7 }] } }, then: [{ type: 'escalate' }] },
              { name: 'very late', priority: 5, when: { event: 'milestone.overdue' }, then: [{ type: 'notify', to: 'owner' }] },
            ],
          },
        })
      ).json()) as DryRunOut;
      expect(inline.matched.map((m) => m.ruleId)).toEqual(['inline-2', 'inline-1']);
      expect(inline.effects.escalations).toEqual([{ ruleId: 'inline-1', level: 1 }]);
      expect(inline.effects.notifications).toEqual([{ ruleId: 'inline-2', to: 'owner' }]);
      expect(await countDefinitionDocuments(services.store)).toEqual(before);
    });

    it('refuses bad dry runs with clear 4xx', async () => {
      const { call, key } = await setup();
      const dry = (body: unknown) => call('POST', '/v1/rules/dry-run', { key, body });
      expect((await dry({ facts: {} })).status).toBe(400);
      expect((await dry({ event: 'milestone.nope', facts: {} })).status).toBe(400);
      expect((await dry({ event: 'milestone.updated', facts: [] })).status).toBe(400);
      expect((await dry({ event: 'milestone.updated', facts: {}, ruleIds: ['a'], rules: [readyToBill] })).status).toBe(400);
      const missing = await dry({ event: 'milestone.updated', facts: {}, ruleIds: ['ghost'] });
      expect(missing.status).toBe(400);
      expect(((await missing.json()) as Problem).errors).toEqual([{ path: 'body.ruleIds.0', message: "no rule 'ghost'" }]);
      const badInline = await dry({ event: 'milestone.updated', facts: {}, rules: [readyToBill, { ...readyToBill, then: [{ type: 'set', field: 'version', value: 1 }] }] });
      expect(badInline.status).toBe(422);
      expect(((await badInline.json()) as Problem).errors?.[0]?.path).toBe('body.rules.1.then.0.field');
    });
  });

  it('lets admins and managers change rules; others only read and dry-run', async () => {
    const { call, key } = await setup();
    const manager = await keyWithRole(call, key, 'manager');
    expect((await call('POST', '/v1/rules', { key: manager, body: readyToBill })).status).toBe(201);
    expect((await call('PATCH', '/v1/rules/ready-to-bill', { key: manager, body: { priority: 3 } })).status).toBe(200);
    for (const role of ['owner', 'viewer', 'integration'] as const) {
      const k = await keyWithRole(call, key, role);
      expect((await call('GET', '/v1/rules', { key: k })).status).toBe(200);
      expect((await call('GET', '/v1/rules/ready-to-bill', { key: k })).status).toBe(200);
      expect((await call('POST', '/v1/rules/dry-run', { key: k, body: { event: 'milestone.updated', facts: {} } })).status).toBe(200);
      expect((await call('POST', '/v1/rules', { key: k, body: { ...readyToBill, id: role } })).status).toBe(403);
      expect((await call('PATCH', '/v1/rules/ready-to-bill', { key: k, body: { enabled: false } })).status).toBe(403);
      expect((await call('DELETE', '/v1/rules/ready-to-bill', { key: k })).status).toBe(403);
    }
    expect((await call('DELETE', '/v1/rules/ready-to-bill', { key: manager })).status).toBe(204);
  });

  it("answers 404 for another tenant's rules and never runs them", async () => {
    const { call, key, tenant } = await setup();
    await call('POST', '/v1/rules', { key, body: readyToBill });
    const other = await tenant('beta');
    expect((await call('GET', '/v1/rules/ready-to-bill', { key: other.key })).status).toBe(404);
    expect((await call('PATCH', '/v1/rules/ready-to-bill', { key: other.key, body: { enabled: false } })).status).toBe(404);
    expect((await call('DELETE', '/v1/rules/ready-to-bill', { key: other.key })).status).toBe(404);
    expect(((await (await call('GET', '/v1/rules', { key: other.key })).json()) as { items: unknown[] }).items).toEqual([]);
    const run = (await (await call('POST', '/v1/rules/dry-run', { key: other.key, body: { event: 'milestone.updated', facts: { percentComplete: 100 } } })).json()) as DryRunOut;
    expect(run.matched).toEqual([]);
    expect((await call('POST', '/v1/rules/dry-run', { key: other.key, body: { event: 'milestone.updated', facts: {}, ruleIds: ['ready-to-bill'] } })).status).toBe(400);
    // The same rule id in another tenant is another rule.
    expect((await call('POST', '/v1/rules', { key: other.key, body: readyToBill })).status).toBe(201);
    expect((await call('GET', '/v1/rules/ready-to-bill', { key })).status).toBe(200);
  });
});
