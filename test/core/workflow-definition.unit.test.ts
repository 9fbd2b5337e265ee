import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKFLOW, parseWorkflow, transitionSources } from '../../core/workflow/index.ts';
import type { Workflow } from '../../core/workflow/index.ts';

function copyOfDefault(): Workflow {
  return structuredClone(DEFAULT_WORKFLOW) as Workflow;
}

describe('DEFAULT_WORKFLOW', () => {
  it('loads without errors or warnings', () => {
    expect(parseWorkflow(DEFAULT_WORKFLOW)).toEqual({ ok: true, value: { workflow: DEFAULT_WORKFLOW, warnings: [] } });
  });

  it('has the documented states and categories', () => {
    expect(Object.fromEntries(DEFAULT_WORKFLOW.states.map((s) => [s.id, s.category]))).toEqual({
      planned: 'not_started',
      in_progress: 'active',
      on_hold: 'active',
      submitted: 'active',
      disputed: 'active',
      verified: 'done',
      invoiced: 'done',
      paid: 'done',
      cancelled: 'cancelled',
    });
    expect(DEFAULT_WORKFLOW.initial).toBe('planned');
  });

  it('names every transition with one of the documented events', () => {
    const events = new Set(DEFAULT_WORKFLOW.transitions.map((t) => t.event));
    expect(events).toEqual(new Set(['start', 'submit', 'verify', 'reject', 'hold', 'resume', 'dispute', 'resolve', 'invoice', 'pay', 'cancel']));
  });

  it('allows cancelling from every state that is not closed', () => {
    const cancel = DEFAULT_WORKFLOW.transitions.find((t) => t.event === 'cancel');
    expect(cancel && transitionSources(DEFAULT_WORKFLOW, cancel)).toEqual(['planned', 'in_progress', 'on_hold', 'submitted', 'disputed']);
  });

  it('is frozen', () => {
    expect(() => {
      (DEFAULT_WORKFLOW.states[0] as { label: string }).label = 'x';
    }).toThrow(TypeError);
  });
});

describe('parseWorkflow', () => {
  it('refuses transitions to or from unknown states, with their paths', () => {
    const workflow = copyOfDefault();
    workflow.transitions.push({ from: ['planned', 'nowhere'], to: 'limbo' });
    const result = parseWorkflow(workflow);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const last = workflow.transitions.length - 1;
    expect(result.error.issues).toEqual([
      { path: `transitions.${last}.to`, message: "unknown state 'limbo'" },
      { path: `transitions.${last}.from.1`, message: "unknown state 'nowhere'" },
    ]);
  });

  it('refuses duplicate state ids and a missing initial state', () => {
    const workflow = copyOfDefault();
    workflow.states.push({ id: 'paid', label: 'Paid again', category: 'done' });
    workflow.initial = 'draft';
    const result = parseWorkflow(workflow);
    expect(result.ok || result.error.issues.map((i) => i.path)).toEqual([`states.${workflow.states.length - 1}.id`, 'initial']);
  });

  it('refuses bad shapes, including guards with unknown operators or unsafe patterns', () => {
    const workflow = copyOfDefault();
    workflow.transitions[0] = { ...workflow.transitions[0], guard: { all: [{ fact: 'x', operator: 'eval' as never, value: 1 }] } } as never;
    expect(parseWorkflow(workflow).ok).toBe(false);
    workflow.transitions[0] = { from: 'planned', to: 'in_progress', guard: { all: [{ fact: 'ref', operator: 'matches', value: '(a+)+$' }] } };
    const result = parseWorkflow(workflow);
    expect(result.ok || result.error.message).toMatch(/repeated group/);
    expect(parseWorkflow({ ...copyOfDefault(), version: 0 }).ok).toBe(false);
    expect(parseWorkflow({ ...copyOfDefault(), extra: true }).ok).toBe(false);
  });

  it('warns about unreachable states, dead ends and ambiguous events', () => {
    const workflow = copyOfDefault();
    // Without the cancel wildcard, which otherwise gives every open state a way out.
    workflow.transitions = workflow.transitions.filter((t) => t.event !== 'cancel');
    workflow.states.push({ id: 'archived', label: 'Archived', category: 'done' });
    workflow.states.push({ id: 'parked', label: 'Parked', category: 'active' });
    workflow.transitions.push({ from: 'on_hold', to: 'parked', event: 'hold' });
    workflow.transitions.push({ from: 'in_progress', to: 'planned', event: 'hold' });
    const result = parseWorkflow(workflow);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.warnings.map((w) => [w.code, w.stateId])).toEqual([
      ['unreachable_state', 'cancelled'],
      ['unreachable_state', 'archived'],
      ['dead_end', 'parked'],
      ['ambiguous_event', 'in_progress'],
    ]);
  });

  it('warns when nothing can finish or the initial state has already started', () => {
    const result = parseWorkflow({
      id: 'tiny',
      name: 'Tiny',
      version: 1,
      initial: 'open',
      states: [
        { id: 'open', label: 'Open', category: 'active' },
        { id: 'dropped', label: 'Dropped', category: 'cancelled' },
      ],
      transitions: [{ from: '*', to: 'dropped' }],
    });
    expect(result.ok && result.value.warnings.map((w) => w.code)).toEqual(['initial_not_started', 'no_done_state']);
  });
});
