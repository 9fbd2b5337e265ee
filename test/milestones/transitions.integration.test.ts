import { describe, expect, it } from 'vitest';
import { expectStatus, milestoneWorld, type Milestone, type Problem } from './milestone-fixtures.ts';

describe('transitions and dependencies', () => {
  it('rejects a dependency cycle with 422 naming the cycle a → b → c → a', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const a = await w.milestone(p.id, { title: 'A' });
    const b = await w.milestone(p.id, { title: 'B', dependencies: [{ on: a.id }] });
    const c = await w.milestone(p.id, { title: 'C', dependencies: [{ on: b.id, type: 'start-to-start' }] });
    const problem = await expectStatus<Problem & { cycle: string[] }>(
      w.call('PATCH', `/v1/milestones/${a.id}`, { body: { dependencies: [{ on: c.id, type: 'finish-to-start' }] } }),
      422,
    );
    expect(problem.detail).toContain(`${a.id} → ${c.id} → ${b.id} → ${a.id}`);
    expect(problem.errors?.[0]).toMatchObject({ path: 'body.dependencies', code: 'dependency_cycle' });
    expect(problem.cycle).toEqual([a.id, c.id, b.id, a.id]);
    const self = await expectStatus<Problem>(w.call('PATCH', `/v1/milestones/${a.id}`, { body: { dependencies: [{ on: a.id }] } }), 422);
    expect(self.errors?.[0]?.path).toBe('body.dependencies.0.on');
    // Nothing changed.
    expect((await expectStatus<Milestone>(w.call('GET', `/v1/milestones/${a.id}`), 200)).dependencies).toEqual([]);
  });

  it('holds a milestone back until its dependencies allow it: finish-to-start, start-to-start, conditional', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const design = await w.milestone(p.id, { title: 'Design' });
    const build = await w.milestone(p.id, { title: 'Build', dependencies: [{ on: design.id, type: 'finish-to-start' }] });
    const survey = await w.milestone(p.id, { title: 'Survey', dependencies: [{ on: design.id, type: 'start-to-start' }] });
    const fitout = await w.milestone(p.id, { title: 'Fit-out', dependencies: [{ on: design.id, type: 'conditional', condition: 'percentComplete >= 50' }] });

    for (const id of [build.id, survey.id, fitout.id]) {
      const refused = await expectStatus<Problem & { blockers: { dependsOn: string; reason: string }[] }>(w.move(id, 'in_progress'), 409);
      expect(refused).toMatchObject({ code: 'transition_refused', reason: 'blocked_by_dependency' });
      expect(refused.blockers[0]?.dependsOn).toBe(design.id);
    }
    await expectStatus(w.move(design.id, 'in_progress'), 200);
    await expectStatus(w.move(survey.id, 'in_progress'), 200);
    await expectStatus(w.move(fitout.id, 'in_progress'), 409);
    await expectStatus(w.call('PATCH', `/v1/milestones/${design.id}`, { body: { percentComplete: 60 } }), 200);
    await expectStatus(w.move(fitout.id, 'in_progress'), 200);
    await expectStatus(w.move(build.id, 'in_progress'), 409);
    // Design done (submitted and verified), then Build may start.
    await expectStatus(w.call('PATCH', `/v1/milestones/${design.id}`, { body: { percentComplete: 100 } }), 200);
    await expectStatus(w.move(design.id, 'submitted'), 200);
    const v = await expectStatus<{ id: string }>(w.call('POST', `/v1/milestones/${design.id}/verifications`, { body: { approvers: [{ role: 'admin' }] } }), 201);
    await expectStatus(w.call('POST', `/v1/milestones/${design.id}/verifications/${v.id}/decisions`, { body: { decision: 'approve' } }), 200);
    await expectStatus(w.move(design.id, 'verified'), 200);
    const started = await expectStatus<Milestone>(w.move(build.id, 'in_progress'), 200);
    expect(started.status).toBe('in_progress');
  });

  it('refuses a guarded transition until the guard holds (submit needs percentComplete 100)', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const m = await w.milestone(p.id);
    await expectStatus(w.move(m.id, 'in_progress'), 200);
    const refused = await expectStatus<Problem & { failed: { fact: string; actual: unknown }[] }>(w.move(m.id, 'submitted'), 409);
    expect(refused).toMatchObject({ code: 'transition_refused', reason: 'guard_failed' });
    expect(refused.failed[0]).toMatchObject({ fact: 'percentComplete', actual: 0 });
    await expectStatus(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { percentComplete: 100 } }), 200);
    const submitted = await expectStatus<Milestone>(w.move(m.id, 'submitted'), 200);
    expect(submitted.status).toBe('submitted');
  });

  it('answers unknown states with 422 and moves the workflow does not have with 409', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const m = await w.milestone(p.id);
    const unknown = await expectStatus<Problem>(w.move(m.id, 'teleported'), 422);
    expect(unknown).toMatchObject({ code: 'unprocessable', reason: 'unknown_state' });
    const none = await expectStatus<Problem>(w.move(m.id, 'paid'), 409);
    expect(none.reason).toBe('no_transition');
    const system = await expectStatus<Problem>(w.call('POST', `/v1/milestones/${m.id}/transitions`, { body: { event: 'start', to: 'x' } }), 400);
    expect(system.code).toBe('validation_failed');
    const byEvent = await expectStatus<Milestone>(w.call('POST', `/v1/milestones/${m.id}/transitions`, { body: { event: 'start' } }), 200);
    expect(byEvent.status).toBe('in_progress');
    const offered = await expectStatus<{ items: { to: string }[] }>(w.call('GET', `/v1/milestones/${m.id}/transitions`), 200);
    expect(offered.items.map((t) => t.to).sort()).toEqual(['cancelled', 'on_hold', 'submitted']);
  });

  it('needs an approval to cancel: owners may not, managers may', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const m = await w.milestone(p.id);
    const owner = await w.keyFor('owner');
    const refused = await expectStatus<Problem>(w.move(m.id, 'cancelled', { key: owner.key }), 409);
    expect(refused.reason).toBe('approval_required');
    const manager = await w.keyFor('manager');
    expect((await expectStatus<Milestone>(w.move(m.id, 'cancelled', { key: manager.key }), 200)).status).toBe('cancelled');
  });

  it('lets business rules block a transition and tag a milestone after one', async () => {
    const w = await milestoneWorld();
    await expectStatus(
      w.call('POST', '/v1/rules', {
        body: {
          id: 'no-start-without-owner',
          name: 'No start without an owner',
          when: { event: 'milestone.transitioning', condition: { all: [{ fact: 'to', operator: 'equal', value: 'in_progress' }, { fact: 'priority', operator: 'equal', value: 'critical' }] } },
          then: [{ type: 'block-transition', reason: 'critical work needs a site review first' }],
        },
      }),
      201,
    );
    await expectStatus(
      w.call('POST', '/v1/rules', {
        body: { id: 'tag-started', name: 'Tag started work', when: { event: 'milestone.transitioned', condition: { all: [{ fact: 'to', operator: 'equal', value: 'in_progress' }] } }, then: [{ type: 'add-tag', tag: 'started' }, { type: 'set', field: 'risk', value: 'medium' }] },
      }),
      201,
    );
    const p = await w.project();
    const critical = await w.milestone(p.id, { priority: 'critical' });
    const blocked = await expectStatus<Problem & { blocks: { ruleId: string }[] }>(w.move(critical.id, 'in_progress'), 409);
    expect(blocked).toMatchObject({ reason: 'blocked_by_rule' });
    expect(blocked.detail).toContain('site review');
    const normal = await w.milestone(p.id, { priority: 'low', tags: ['civil'] });
    const moved = await expectStatus<Milestone>(w.move(normal.id, 'in_progress'), 200);
    expect(moved.tags).toEqual(['civil', 'started']);
    expect(moved.risk).toBe('medium');
  });

  it('keeps a milestone on the workflow version it started on, and migrates it on request', async () => {
    const w = await milestoneWorld();
    const states = [
      { id: 'planned', label: 'Planned', category: 'not_started' },
      { id: 'on_site', label: 'On site', category: 'active' },
      { id: 'done', label: 'Done', category: 'done' },
    ];
    await expectStatus(
      w.call('POST', '/v1/workflows', { body: { id: 'site-work', name: 'Site work', initial: 'planned', states, transitions: [{ from: 'planned', to: 'on_site', event: 'start' }, { from: 'on_site', to: 'done', event: 'finish' }] } }),
      201,
    );
    await expectStatus(w.call('POST', '/v1/workflows/site-work/default', { body: {} }), 200);
    const p = await w.project();
    const m = await w.milestone(p.id);
    expect(m.workflow).toEqual({ id: 'site-work', version: 1 });
    await expectStatus(w.move(m.id, 'on_site'), 200);
    await expectStatus(
      w.call('POST', '/v1/workflows/site-work/versions', {
        body: {
          id: 'site-work',
          name: 'Site work',
          initial: 'planned',
          states: [...states.slice(0, 1), { id: 'working', label: 'Working', category: 'active' }, states[2]],
          transitions: [{ from: 'planned', to: 'working', event: 'start' }, { from: 'working', to: 'done', event: 'finish', guard: { all: [{ fact: 'percentComplete', operator: 'equal', value: 100 }] } }],
        },
      }),
      201,
    );
    // New milestones start on the latest version; this one stays on v1 until migrated.
    const fresh = await w.milestone(p.id);
    expect(fresh.workflow).toEqual({ id: 'site-work', version: 2 });
    const noMapping = await expectStatus<Problem>(w.call('POST', `/v1/milestones/${m.id}/migrate-workflow`, { body: { version: 2 } }), 422);
    expect(noMapping.errors?.[0]?.code).toBe('no_counterpart');
    const migrated = await expectStatus<Milestone>(w.call('POST', `/v1/milestones/${m.id}/migrate-workflow`, { body: { version: 2, mapping: { on_site: 'working' } } }), 200);
    expect(migrated).toMatchObject({ status: 'working', workflow: { id: 'site-work', version: 2 } });
    const guarded = await expectStatus<Problem>(w.move(m.id, 'done'), 409);
    expect(guarded.reason).toBe('guard_failed');
  });
});
