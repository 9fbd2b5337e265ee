import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKFLOW, planTransition } from '../../core/workflow/index.ts';
import type { TransitionContext, TransitionRequest, Workflow } from '../../core/workflow/index.ts';

function plan(status: string, request: TransitionRequest, attributes: Record<string, unknown> = {}, context?: TransitionContext, workflow: Workflow = DEFAULT_WORKFLOW) {
  return planTransition({ workflow, milestone: { status, attributes }, request, ...(context ? { context } : {}) });
}

describe('planTransition on the default workflow', () => {
  it('allows a guarded transition whose guard holds, and lists the events to emit', async () => {
    const result = await plan('in_progress', { to: 'submitted' }, { percentComplete: 100 });
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        from: 'in_progress',
        to: 'submitted',
        fromCategory: 'active',
        toCategory: 'active',
        events: ['milestone.transitioned', 'milestone.submitted', 'verification.requested'],
      }),
    });
  });

  it('refuses a guarded transition whose guard fails, naming the failing comparison', async () => {
    const result = await plan('in_progress', { event: 'submit' }, { percentComplete: 80 });
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'guard_failed',
        status: 409,
        failed: [{ fact: 'percentComplete', operator: 'greaterThanInclusive', value: 100, actual: 80, negated: false }],
      }),
    });
    if (!result.ok) expect(result.error.message).toBe("the guard on 'submitted' is not met: percentComplete greaterThanInclusive 100 (was 80)");
  });

  it('treats a missing fact as failing the guard', async () => {
    const result = await plan('in_progress', { to: 'submitted' });
    expect(result.ok || result.error.message).toMatch(/was missing/);
  });

  it('refuses unknown states and events with 422', async () => {
    expect(await plan('in_progress', { to: 'finished' })).toMatchObject({ ok: false, error: { code: 'unknown_state', status: 422, state: 'finished' } });
    expect(await plan('limbo', { to: 'paid' })).toMatchObject({ ok: false, error: { code: 'unknown_state', status: 422, state: 'limbo' } });
    expect(await plan('planned', { event: 'teleport' })).toMatchObject({ ok: false, error: { code: 'unknown_event', status: 422 } });
  });

  it('refuses moves the workflow does not have with 409', async () => {
    expect(await plan('planned', { to: 'paid' })).toMatchObject({ ok: false, error: { code: 'no_transition', status: 409, from: 'planned', to: 'paid' } });
    expect(await plan('planned', { event: 'verify' })).toMatchObject({ ok: false, error: { code: 'no_transition', event: 'verify' } });
    expect(await plan('in_progress', { to: 'in_progress' })).toMatchObject({ ok: false, error: { code: 'no_transition' } });
  });

  it('never lets the cancel wildcard reopen a closed milestone', async () => {
    expect(await plan('paid', { event: 'cancel' }, {}, { approved: true })).toMatchObject({ ok: false, error: { code: 'no_transition' } });
    expect(await plan('cancelled', { to: 'cancelled' }, {}, { approved: true })).toMatchObject({ ok: false, error: { code: 'no_transition' } });
    expect(await plan('on_hold', { event: 'cancel' }, {}, { approved: true })).toMatchObject({ ok: true, value: { to: 'cancelled' } });
  });

  it('requires verification to verify and approval to cancel', async () => {
    expect(await plan('submitted', { event: 'verify' })).toMatchObject({ ok: false, error: { code: 'verification_required', status: 409 } });
    expect(await plan('submitted', { event: 'verify' }, {}, { verified: true })).toMatchObject({
      ok: true,
      value: { to: 'verified', toCategory: 'done', events: ['milestone.transitioned', 'milestone.verified', 'invoice.requested'] },
    });
    expect(await plan('planned', { event: 'cancel' })).toMatchObject({ ok: false, error: { code: 'approval_required' } });
  });

  it('leaves invoicing to the hub itself', async () => {
    expect(await plan('verified', { event: 'invoice' })).toMatchObject({ ok: false, error: { code: 'system_only' } });
    expect(await plan('verified', { event: 'invoice' }, {}, { actor: 'system' })).toMatchObject({ ok: true, value: { to: 'invoiced' } });
  });

  it('refuses with the blockers when dependencies are not met', async () => {
    const blockers = [{ dependsOn: 'm1', type: 'finish-to-start', reason: 'predecessor_not_done', message: "'m1' must be done first" }];
    const result = await plan('planned', { event: 'start' }, {}, { dependencies: { allowed: false, blockers } });
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'blocked_by_dependency', status: 409, blockers }) });
    expect(await plan('planned', { event: 'start' }, {}, { dependencies: { allowed: true, blockers: [] } })).toMatchObject({ ok: true });
  });

  it('resolves one event to different targets depending on the current state', async () => {
    expect(await plan('submitted', { event: 'reject' })).toMatchObject({ ok: true, value: { to: 'in_progress' } });
    expect(await plan('disputed', { event: 'reject' })).toMatchObject({ ok: true, value: { to: 'in_progress', events: ['milestone.transitioned', 'milestone.rejected'] } });
    expect(await plan('disputed', { event: 'resolve' })).toMatchObject({ ok: true, value: { to: 'submitted' } });
  });
});

describe('planTransition with custom guards', () => {
  const workflow: Workflow = {
    id: 'site',
    name: 'Site work',
    version: 1,
    initial: 'open',
    states: [
      { id: 'open', label: 'Open', category: 'not_started' },
      { id: 'closed', label: 'Closed', category: 'done' },
    ],
    transitions: [
      {
        from: 'open',
        to: 'closed',
        event: 'close',
        guard: { all: [{ fact: 'tags', operator: 'contains', value: 'photos' }, { fact: 'inspectedOn', operator: 'onOrBefore', value: { fact: 'today' } }] },
      },
      {
        from: 'open',
        to: 'closed',
        event: 'close',
        guard: { not: { fact: 'tags', operator: 'contains', value: 'safety-hold' } },
        emits: ['site.closed_without_photos'],
      },
    ],
  };

  it('takes the first transition whose guard passes', async () => {
    const withPhotos = await plan('open', { event: 'close' }, { tags: ['photos'], inspectedOn: '2025-03-01', today: '2025-03-02' }, {}, workflow);
    expect(withPhotos.ok && withPhotos.value.events).toEqual(['milestone.transitioned']);
    const without = await plan('open', { event: 'close' }, { tags: [], today: '2025-03-02' }, {}, workflow);
    expect(without.ok && without.value.events).toEqual(['milestone.transitioned', 'site.closed_without_photos']);
  });

  it('reports the first guard when none passes', async () => {
    const result = await plan('open', { event: 'close' }, { tags: ['safety-hold'], inspectedOn: '2025-03-05', today: '2025-03-02' }, {}, workflow);
    expect(result.ok || result.error).toMatchObject({
      code: 'guard_failed',
      failed: [
        { fact: 'tags', operator: 'contains', value: 'photos' },
        { fact: 'inspectedOn', operator: 'onOrBefore', actual: '2025-03-05' },
      ],
    });
  });

  it('answers 422 when a guard cannot be evaluated', async () => {
    const broken: Workflow = {
      ...workflow,
      transitions: [{ from: 'open', to: 'closed', guard: { all: [{ fact: 'x', operator: 'bogus' as never, value: 1 }] } }],
    };
    expect(await plan('open', { to: 'closed' }, {}, {}, broken)).toMatchObject({ ok: false, error: { code: 'guard_failed', status: 422 } });
  });
});
