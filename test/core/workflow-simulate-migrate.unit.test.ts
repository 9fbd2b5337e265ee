import { describe, expect, it } from 'vitest';
import { buildStatusMapping, DEFAULT_WORKFLOW, migrateMilestoneStatus, simulateWorkflow } from '../../core/workflow/index.ts';
import type { Workflow } from '../../core/workflow/index.ts';

describe('simulateWorkflow', () => {
  it('plays the happy path, changing attributes between steps', async () => {
    const result = await simulateWorkflow({
      workflow: DEFAULT_WORKFLOW,
      milestone: { attributes: { percentComplete: 0 } },
      steps: [
        'start',
        { event: 'submit', set: { percentComplete: 100 } },
        { event: 'verify', context: { verified: true } },
        { event: 'invoice', context: { actor: 'system' } },
        'pay',
      ],
    });
    expect(result.completed).toBe(true);
    expect(result.path).toEqual(['planned', 'in_progress', 'submitted', 'verified', 'invoiced', 'paid']);
    expect(result.steps.map((s) => s.outcome)).toEqual(['moved', 'moved', 'moved', 'moved', 'moved']);
    expect(result.steps[1]?.events).toEqual(['milestone.transitioned', 'milestone.submitted', 'verification.requested']);
    expect(result.final).toEqual({ status: 'paid', attributes: { percentComplete: 100 } });
  });

  it('records refusals, stays put and carries on', async () => {
    const result = await simulateWorkflow({
      workflow: DEFAULT_WORKFLOW,
      steps: ['start', 'submit', { set: { percentComplete: 100 } }, 'submitted', 'dispute', 'resolve', 'verify'],
    });
    expect(result.completed).toBe(false);
    expect(result.path).toEqual(['planned', 'in_progress', 'submitted', 'disputed', 'submitted']);
    expect(result.steps.map((s) => [s.outcome, s.refusal?.code])).toEqual([
      ['moved', undefined],
      ['refused', 'guard_failed'],
      ['updated', undefined],
      ['moved', undefined],
      ['moved', undefined],
      ['moved', undefined],
      ['refused', 'verification_required'],
    ]);
    expect(result.steps[3]?.request).toEqual({ to: 'submitted' });
    expect(result.final.status).toBe('submitted');
  });

  it('can stop at the first refusal', async () => {
    const result = await simulateWorkflow({ workflow: DEFAULT_WORKFLOW, steps: ['start', 'pay', 'hold'], stopOnRefusal: true });
    expect(result.steps).toHaveLength(2);
    expect(result.final.status).toBe('in_progress');
  });

  it('starts from a given status and applies a context to every step', async () => {
    const result = await simulateWorkflow({
      workflow: DEFAULT_WORKFLOW,
      milestone: { status: 'on_hold' },
      steps: ['resume', 'cancel'],
      context: { approved: true },
    });
    expect(result.path).toEqual(['on_hold', 'in_progress', 'cancelled']);
  });

  it('does not modify the sample milestone', async () => {
    const attributes = { percentComplete: 10 };
    await simulateWorkflow({ workflow: DEFAULT_WORKFLOW, milestone: { attributes }, steps: [{ event: 'start', set: { percentComplete: 50 } }] });
    expect(attributes).toEqual({ percentComplete: 10 });
  });
});

describe('workflow version migration', () => {
  // Version 2 renames on_hold to paused, drops disputed and adds a review state.
  const v2: Workflow = {
    ...structuredClone(DEFAULT_WORKFLOW),
    version: 2,
    states: [
      ...DEFAULT_WORKFLOW.states.filter((s) => s.id !== 'on_hold' && s.id !== 'disputed'),
      { id: 'paused', label: 'Paused', category: 'active' },
      { id: 'review', label: 'In review', category: 'active' },
    ],
    transitions: [],
  };

  it('keeps a status whose id still exists', () => {
    expect(migrateMilestoneStatus({ from: DEFAULT_WORKFLOW, to: v2, status: 'submitted' })).toEqual({
      ok: true,
      value: { from: 'submitted', to: 'submitted', changed: false, categoryChanged: false, fromCategory: 'active', toCategory: 'active' },
    });
  });

  it('follows an explicit mapping and reports a category change', () => {
    expect(migrateMilestoneStatus({ from: DEFAULT_WORKFLOW, to: v2, status: 'on_hold', mapping: { on_hold: 'paused' } })).toMatchObject({
      ok: true,
      value: { to: 'paused', changed: true, categoryChanged: false },
    });
    expect(migrateMilestoneStatus({ from: DEFAULT_WORKFLOW, to: v2, status: 'verified', mapping: { verified: 'review' } })).toMatchObject({
      ok: true,
      value: { to: 'review', categoryChanged: true, fromCategory: 'done', toCategory: 'active' },
    });
  });

  it('fails clearly when a status has no counterpart', () => {
    expect(migrateMilestoneStatus({ from: DEFAULT_WORKFLOW, to: v2, status: 'disputed' })).toEqual({
      ok: false,
      error: { code: 'no_counterpart', states: ['disputed'], message: "workflow 'default' v2 has no state 'disputed'; map it explicitly" },
    });
    expect(migrateMilestoneStatus({ from: DEFAULT_WORKFLOW, to: v2, status: 'disputed', mapping: { disputed: 'gone' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_mapping', from: 'disputed', to: 'gone' },
    });
    expect(migrateMilestoneStatus({ from: DEFAULT_WORKFLOW, to: v2, status: 'limbo' })).toMatchObject({ ok: false, error: { code: 'unknown_state' } });
  });

  it('builds the whole mapping, or lists every state left without one', () => {
    expect(buildStatusMapping(DEFAULT_WORKFLOW, v2)).toMatchObject({ ok: false, error: { code: 'no_counterpart', states: ['on_hold', 'disputed'] } });
    const mapping = buildStatusMapping(DEFAULT_WORKFLOW, v2, { on_hold: 'paused', disputed: 'review' });
    expect(mapping).toEqual({
      ok: true,
      value: {
        planned: 'planned',
        in_progress: 'in_progress',
        on_hold: 'paused',
        submitted: 'submitted',
        disputed: 'review',
        verified: 'verified',
        invoiced: 'invoiced',
        paid: 'paid',
        cancelled: 'cancelled',
      },
    });
    expect(buildStatusMapping(DEFAULT_WORKFLOW, v2, { nope: 'paused' })).toMatchObject({ ok: false, error: { code: 'unknown_state', state: 'nope' } });
  });
});
