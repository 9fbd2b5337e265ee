import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_WORKFLOW_ID,
  UnknownWorkflowError,
  getWorkflowForMilestone,
  workflowVersionsCollection,
} from '../../core/definitions/index.ts';
import { DEFAULT_WORKFLOW } from '../../core/workflow/index.ts';
import { testApp } from '../helpers/test-services.ts';
import { countDefinitionDocuments, keyWithRole, siteWorkflow } from './definitions-fixtures.ts';

type Problem = { status: number; code: string; detail: string; errors?: { path: string; message: string }[] };
type WorkflowOut = {
  id: string;
  name: string;
  version: number;
  latestVersion: number;
  isDefault: boolean;
  builtIn: boolean;
  workflow: { id: string; version: number; name: string; states: { id: string }[] };
  warnings: { code: string; stateId?: string }[];
};

async function setup() {
  const t = testApp();
  const acme = await t.tenant('acme');
  return { ...t, key: acme.key, tenantId: acme.id };
}

describe('workflows', () => {
  it('creates a workflow at version 1 and lists it after the built-in one', async () => {
    const { call, key } = await setup();
    const res = await call('POST', '/v1/workflows', { key, body: siteWorkflow() });
    expect(res.status).toBe(201);
    const created = (await res.json()) as WorkflowOut;
    expect(created).toMatchObject({ id: 'site-work', version: 1, latestVersion: 1, isDefault: false, builtIn: false });
    expect(created.workflow).toMatchObject({ id: 'site-work', version: 1, name: 'Site work' });
    expect(created.warnings).toEqual([]);

    const list = (await (await call('GET', '/v1/workflows', { key })).json()) as { items: WorkflowOut[]; nextCursor: string | null };
    expect(list.items.map((w) => w.id)).toEqual(['default', 'site-work']);
    expect(list.items[0]).toMatchObject({ id: 'default', builtIn: true, isDefault: true, latestVersion: 1 });
    expect(list.nextCursor).toBeNull();

    const got = (await (await call('GET', '/v1/workflows/site-work', { key })).json()) as WorkflowOut;
    expect(got.workflow).toEqual(created.workflow);
  });

  it('returns warnings for legal but doubtful workflows', async () => {
    const { call, key } = await setup();
    const body = siteWorkflow({
      states: [...(siteWorkflow().states as object[]), { id: 'limbo', label: 'Limbo', category: 'active' }],
    });
    const res = await call('POST', '/v1/workflows', { key, body });
    expect(res.status).toBe(201);
    const codes = ((await res.json()) as WorkflowOut).warnings.map((w) => `${w.code}:${w.stateId}`);
    // '*' → cancelled gives limbo a way out, so it is only unreachable.
    expect(codes).toEqual(['unreachable_state:limbo']);
  });

  it('refuses a transition to an unknown state with 422 listing every issue by path', async () => {
    const { call, key } = await setup();
    const body = siteWorkflow({
      transitions: [
        { from: 'planned', to: 'on_site' },
        { from: ['on_site', 'nowhere'], to: 'finished' },
      ],
    });
    const res = await call('POST', '/v1/workflows', { key, body });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as Problem;
    expect(problem.code).toBe('unprocessable');
    expect(problem.errors).toEqual([
      { path: 'body.transitions.1.to', message: "unknown state 'finished'" },
      { path: 'body.transitions.1.from.1', message: "unknown state 'nowhere'" },
    ]);
  });

  it('refuses shape errors, unknown operators and catastrophic patterns with located issues', async () => {
    const { call, key } = await setup();
    const noStates = await call('POST', '/v1/workflows', { key, body: siteWorkflow({ states: [] }) });
    expect(noStates.status).toBe(422);
    expect(((await noStates.json()) as Problem).errors?.[0]?.path).toBe('body.states');

    const badOperator = siteWorkflow({
      transitions: [{ from: 'planned', to: 'on_site', guard: { all: [{ fact: 'percentComplete', operator: 'like', value: 1 }] } }],
    });
    const op = (await (await call('POST', '/v1/workflows', { key, body: badOperator })).json()) as Problem;
    expect(op.status).toBe(422);
    expect(op.errors?.[0]?.path).toBe('body.transitions.0.guard.all.0.operator');

    const badPattern = siteWorkflow({
      transitions: [{ from: 'planned', to: 'on_site', guard: { all: [{ fact: 'title', operator: 'matches', value: '(a+)+$' }] } }],
    });
    const pattern = (await (await call('POST', '/v1/workflows', { key, body: badPattern })).json()) as Problem;
    expect(pattern.status).toBe(422);
    expect(pattern.errors?.[0]).toMatchObject({ path: 'body.transitions.0.guard.all.0.value' });
    expect(pattern.errors?.[0]?.message).toMatch(/repeated group/);

    const keyWithDot = siteWorkflow({
      transitions: [{ from: 'planned', to: 'on_site', guard: { all: [{ fact: 'site', operator: 'equal', value: { 'a.b': 1 } }] } }],
    });
    const dot = (await (await call('POST', '/v1/workflows', { key, body: keyWithDot })).json()) as Problem;
    expect(dot.status).toBe(422);
    expect(dot.errors?.[0]?.path).toBe('body.transitions.0.guard.all.0.value.a.b');

    const notObject = await call('POST', '/v1/workflows', { key, body: [1, 2] });
    expect(notObject.status).toBe(400);
    const noId = await call('POST', '/v1/workflows', { key, body: { name: 'x' } });
    expect(noId.status).toBe(422);
    const wrongVersion = await call('POST', '/v1/workflows', { key, body: siteWorkflow({ version: 3 }) });
    expect(wrongVersion.status).toBe(422);
    expect(((await wrongVersion.json()) as Problem).errors?.[0]?.path).toBe('body.version');
    expect(await countDefinitionDocuments((await setup()).services.store)).toMatchObject({ workflow_versions: 0 });
  });

  it('answers 409 for a duplicate id and for the reserved built-in id', async () => {
    const { call, key } = await setup();
    expect((await call('POST', '/v1/workflows', { key, body: siteWorkflow() })).status).toBe(201);
    const dup = await call('POST', '/v1/workflows', { key, body: siteWorkflow() });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as Problem).code).toBe('conflict');
    const reserved = await call('POST', '/v1/workflows', { key, body: { ...DEFAULT_WORKFLOW, id: 'default' } });
    expect(reserved.status).toBe(409);
    expect(((await reserved.json()) as Problem).detail).toMatch(/read-only/);
  });

  it('publishes immutable versions: old versions stay readable and unchanged', async () => {
    const { call, key, services, tenantId } = await setup();
    await call('POST', '/v1/workflows', { key, body: siteWorkflow() });
    const versionsCol = services.store.forTenant(tenantId).collection(workflowVersionsCollection);
    const v1Stored = await versionsCol.findOne({ workflowId: 'site-work', workflowVersion: 1 });

    const v2Body = siteWorkflow({ name: 'Site work v2', states: [...(siteWorkflow().states as object[]), { id: 'snagging', label: 'Snagging', category: 'active' }] });
    (v2Body.transitions as object[]).push({ from: 'on_site', to: 'snagging', event: 'snag' }, { from: 'snagging', to: 'on_site', event: 'fix' });
    const v2 = await call('POST', '/v1/workflows/site-work/versions', { key, body: v2Body });
    expect(v2.status).toBe(201);
    expect((await v2.json()) as WorkflowOut).toMatchObject({ version: 2, latestVersion: 2, name: 'Site work v2' });

    const latest = (await (await call('GET', '/v1/workflows/site-work', { key })).json()) as WorkflowOut;
    expect(latest.version).toBe(2);
    expect(latest.workflow.states.map((s) => s.id)).toContain('snagging');
    const first = (await (await call('GET', '/v1/workflows/site-work?version=1', { key })).json()) as WorkflowOut;
    expect(first).toMatchObject({ version: 1, latestVersion: 2 });
    expect(first.workflow.states.map((s) => s.id)).not.toContain('snagging');
    expect(first.workflow.name).toBe('Site work');

    // The stored version 1 document was never touched.
    expect(await versionsCol.findOne({ workflowId: 'site-work', workflowVersion: 1 })).toEqual(v1Stored);
    expect(v1Stored?.version).toBe(1);

    const versions = (await (await call('GET', '/v1/workflows/site-work/versions', { key })).json()) as { items: { version: number; name: string }[] };
    expect(versions.items.map((v) => [v.version, v.name])).toEqual([
      [2, 'Site work v2'],
      [1, 'Site work'],
    ]);

    // A stale editor who read version 1 and publishes "version 2" is refused.
    const stale = await call('POST', '/v1/workflows/site-work/versions', { key, body: siteWorkflow({ version: 2 }) });
    expect(stale.status).toBe(409);
    const skipping = await call('POST', '/v1/workflows/site-work/versions', { key, body: siteWorkflow({ version: 7 }) });
    expect(skipping.status).toBe(422);
    const wrongId = await call('POST', '/v1/workflows/site-work/versions', { key, body: siteWorkflow({ id: 'other' }) });
    expect(wrongId.status).toBe(422);
    const invalid = await call('POST', '/v1/workflows/site-work/versions', { key, body: siteWorkflow({ initial: 'nowhere' }) });
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as Problem).errors?.[0]?.path).toBe('body.initial');

    // No route rewrites a workflow in place.
    expect((await call('PUT', '/v1/workflows/site-work', { key, body: siteWorkflow() })).status).toBe(405);
    expect((await call('PATCH', '/v1/workflows/site-work', { key, body: { name: 'x' } })).status).toBe(405);
    expect((await call('GET', '/v1/workflows/site-work?version=3', { key })).status).toBe(404);
    expect((await call('GET', '/v1/workflows/site-work?version=zero', { key })).status).toBe(400);
  });

  it('keeps the built-in workflow read-only but lets a tenant copy it', async () => {
    const { call, key } = await setup();
    const builtIn = (await (await call('GET', '/v1/workflows/default', { key })).json()) as WorkflowOut;
    expect(builtIn).toMatchObject({ id: 'default', version: 1, builtIn: true, isDefault: true });
    expect(builtIn.workflow).toEqual(JSON.parse(JSON.stringify(DEFAULT_WORKFLOW)));

    const publish = await call('POST', '/v1/workflows/default/versions', { key, body: { ...DEFAULT_WORKFLOW, name: 'Mine' } });
    expect(publish.status).toBe(409);
    expect(((await publish.json()) as Problem).detail).toMatch(/read-only.*copy/);
    const versions = (await (await call('GET', '/v1/workflows/default/versions', { key })).json()) as { items: { version: number }[] };
    expect(versions.items).toEqual([{ version: 1, name: DEFAULT_WORKFLOW.name }]);

    const copied = await call('POST', '/v1/workflows/default/copy', { key, body: { id: 'our-payments', name: 'Our payments' } });
    expect(copied.status).toBe(201);
    const copy = (await copied.json()) as WorkflowOut;
    expect(copy).toMatchObject({ id: 'our-payments', version: 1, builtIn: false, name: 'Our payments' });
    expect(copy.workflow.states).toEqual(builtIn.workflow.states);

    expect((await call('POST', '/v1/workflows/default/copy', { key, body: { id: 'default' } })).status).toBe(409);
    expect((await call('POST', '/v1/workflows/default/copy', { key, body: { id: 'our-payments' } })).status).toBe(409);
    expect((await call('POST', '/v1/workflows/nothing/copy', { key, body: { id: 'x' } })).status).toBe(404);
  });

  it('marks the default workflow that new milestones start on', async () => {
    const { call, key, services, tenantId } = await setup();
    const db = services.store.forTenant(tenantId);
    expect(await getWorkflowForMilestone(db)).toEqual({ id: BUILT_IN_WORKFLOW_ID, version: 1, workflow: DEFAULT_WORKFLOW });

    await call('POST', '/v1/workflows', { key, body: siteWorkflow() });
    await call('POST', '/v1/workflows', { key, body: siteWorkflow({ id: 'office-work', name: 'Office work' }) });
    const marked = await call('POST', '/v1/workflows/site-work/default', { key });
    expect(marked.status).toBe(200);
    expect(await marked.json()).toMatchObject({ id: 'site-work', isDefault: true });
    expect(await getWorkflowForMilestone(db)).toMatchObject({ id: 'site-work', version: 1 });

    await call('POST', '/v1/workflows/site-work/versions', { key, body: siteWorkflow({ name: 'Site work, revised' }) });
    const resolved = await getWorkflowForMilestone(db);
    expect(resolved).toMatchObject({ id: 'site-work', version: 2, workflow: { name: 'Site work, revised' } });
    // A milestone keeps the version it started on.
    expect(await getWorkflowForMilestone(db, { workflowId: 'site-work', version: 1 })).toMatchObject({ version: 1, workflow: { name: 'Site work' } });
    await expect(getWorkflowForMilestone(db, { workflowId: 'site-work', version: 9 })).rejects.toBeInstanceOf(UnknownWorkflowError);

    await call('POST', '/v1/workflows/office-work/default', { key });
    const list = (await (await call('GET', '/v1/workflows', { key })).json()) as { items: WorkflowOut[] };
    expect(list.items.filter((w) => w.isDefault).map((w) => w.id)).toEqual(['office-work']);

    const back = await call('POST', '/v1/workflows/default/default', { key });
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({ id: 'default', isDefault: true });
    expect((await getWorkflowForMilestone(db)).id).toBe('default');
    expect((await call('POST', '/v1/workflows/missing/default', { key })).status).toBe(404);
  });

  it('simulates a sequence and returns the path taken, writing nothing', async () => {
    const { call, key, services } = await setup();
    await call('POST', '/v1/workflows', { key, body: siteWorkflow() });
    const before = await countDefinitionDocuments(services.store);

    const res = await call('POST', '/v1/workflows/default/simulate', {
      key,
      body: {
        milestone: { attributes: { percentComplete: 0 } },
        steps: [
          { event: 'start' },
          { event: 'submit' },
          { event: 'submit', set: { percentComplete: 100 } },
          { event: 'verify' },
          { event: 'verify', context: { verified: true } },
        ],
      },
    });
    expect(res.status).toBe(200);
    const sim = (await res.json()) as {
      workflow: { id: string; version: number };
      path: string[];
      steps: { outcome: string; refusal?: { code: string } }[];
      final: { status: string; attributes: Record<string, unknown> };
      completed: boolean;
    };
    expect(sim.workflow).toEqual({ id: 'default', version: 1 });
    expect(sim.path).toEqual(['planned', 'in_progress', 'submitted', 'verified']);
    expect(sim.steps.map((s) => s.outcome)).toEqual(['moved', 'refused', 'moved', 'refused', 'moved']);
    expect(sim.steps[1]?.refusal?.code).toBe('guard_failed');
    expect(sim.steps[3]?.refusal?.code).toBe('verification_required');
    expect(sim.final).toEqual({ status: 'verified', attributes: { percentComplete: 100 } });
    expect(sim.completed).toBe(false);

    const own = await call('POST', '/v1/workflows/site-work/simulate', {
      key,
      body: { milestone: { status: 'on_site', attributes: { percentComplete: 100 } }, steps: ['finish'] },
    });
    expect(((await own.json()) as { path: string[] }).path).toEqual(['on_site', 'done']);

    expect(await countDefinitionDocuments(services.store)).toEqual(before);
  });

  it('refuses bad simulations with clear 4xx', async () => {
    const { call, key } = await setup();
    const unknownStatus = await call('POST', '/v1/workflows/default/simulate', { key, body: { milestone: { status: 'flying' }, steps: ['start'] } });
    expect(unknownStatus.status).toBe(400);
    expect(((await unknownStatus.json()) as Problem).errors?.[0]?.path).toBe('body.milestone.status');
    expect((await call('POST', '/v1/workflows/default/simulate', { key, body: { steps: [] } })).status).toBe(400);
    expect((await call('POST', '/v1/workflows/default/simulate', { key, body: { steps: [{ jump: 'x' }] } })).status).toBe(400);
    expect((await call('POST', '/v1/workflows/default/simulate', { key, body: { steps: ['start'], version: 2 } })).status).toBe(404);
    expect((await call('POST', '/v1/workflows/nothing/simulate', { key, body: { steps: ['start'] } })).status).toBe(404);
  });

  it('lets every role read and simulate, and only admins change workflows', async () => {
    const { call, key } = await setup();
    await call('POST', '/v1/workflows', { key, body: siteWorkflow() });
    for (const role of ['manager', 'owner', 'viewer', 'integration'] as const) {
      const k = await keyWithRole(call, key, role);
      expect((await call('GET', '/v1/workflows', { key: k })).status, role).toBe(200);
      expect((await call('GET', '/v1/workflows/site-work', { key: k })).status, role).toBe(200);
      expect((await call('POST', '/v1/workflows/site-work/simulate', { key: k, body: { steps: ['start'] } })).status, role).toBe(200);
      for (const [method, path, body] of [
        ['POST', '/v1/workflows', siteWorkflow({ id: `by-${role}` })],
        ['POST', '/v1/workflows/site-work/versions', siteWorkflow()],
        ['POST', '/v1/workflows/site-work/default', undefined],
        ['POST', '/v1/workflows/site-work/copy', { id: `copy-${role}` }],
      ] as const) {
        const res = await call(method, path, { key: k, ...(body === undefined ? {} : { body }) });
        expect(res.status, `${role} ${path}`).toBe(403);
      }
    }
    expect((await call('GET', '/v1/workflows')).status).toBe(401);
  });

  it("answers 404 for another tenant's workflow and keeps ids per tenant", async () => {
    const { call, key, tenant } = await setup();
    await call('POST', '/v1/workflows', { key, body: siteWorkflow() });
    await call('POST', '/v1/workflows/site-work/default', { key });
    const other = await tenant('beta');
    for (const [method, path, body] of [
      ['GET', '/v1/workflows/site-work', undefined],
      ['GET', '/v1/workflows/site-work/versions', undefined],
      ['POST', '/v1/workflows/site-work/versions', siteWorkflow()],
      ['POST', '/v1/workflows/site-work/default', undefined],
      ['POST', '/v1/workflows/site-work/simulate', { steps: ['start'] }],
      ['POST', '/v1/workflows/site-work/copy', { id: 'stolen' }],
    ] as const) {
      const res = await call(method, path, { key: other.key, ...(body === undefined ? {} : { body }) });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const list = (await (await call('GET', '/v1/workflows', { key: other.key })).json()) as { items: WorkflowOut[] };
    expect(list.items.map((w) => [w.id, w.isDefault])).toEqual([['default', true]]);
    // The same id in another tenant is another workflow.
    const own = await call('POST', '/v1/workflows', { key: other.key, body: siteWorkflow({ name: 'Beta site work' }) });
    expect(own.status).toBe(201);
    const mine = (await (await call('GET', '/v1/workflows/site-work', { key })).json()) as WorkflowOut;
    expect(mine.name).toBe('Site work');
  });
});
