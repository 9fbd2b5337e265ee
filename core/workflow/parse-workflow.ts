import { isClosedCategory } from './state-category.ts';
import { transitionSources } from './transition-sources.ts';
import { workflowSchema } from './workflow-schema.ts';
import type { Workflow } from './workflow-schema.ts';

/** One problem with a workflow definition, located by a dotted path (`transitions.3.to`). */
export interface WorkflowIssue {
  path: string;
  message: string;
}

/** Something legal but probably unintended; the workflow still loads. */
export interface WorkflowWarning {
  code: 'unreachable_state' | 'dead_end' | 'ambiguous_event' | 'no_done_state' | 'initial_not_started';
  message: string;
  stateId?: string;
}

/** The outcome of {@link parseWorkflow}. */
export type ParseWorkflowResult =
  | { ok: true; value: { workflow: Workflow; warnings: WorkflowWarning[] } }
  | { ok: false; error: { code: 'invalid_workflow'; message: string; issues: WorkflowIssue[] } };

/**
 * Validates a workflow definition: its shape, then that ids are unique, that `initial` and every
 * state a transition names exist. Unreachable states, dead ends and ambiguous event names are
 * returned as warnings because a tenant may be mid-way through editing a workflow.
 *
 * @example
 * const parsed = parseWorkflow(JSON.parse(text));
 * if (!parsed.ok) return problem(422, parsed.error);
 */
export function parseWorkflow(input: unknown): ParseWorkflowResult {
  const shape = workflowSchema.safeParse(input);
  if (!shape.success) {
    const issues = shape.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
    return invalid(issues);
  }
  const workflow = shape.data;
  const issues = crossReferenceIssues(workflow);
  if (issues.length > 0) return invalid(issues);
  return { ok: true, value: { workflow, warnings: warningsFor(workflow) } };
}

function invalid(issues: WorkflowIssue[]): ParseWorkflowResult {
  const first = issues[0];
  const summary = first ? `${first.path || 'workflow'}: ${first.message}` : 'invalid workflow';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return { ok: false, error: { code: 'invalid_workflow', message: summary + more, issues } };
}

function crossReferenceIssues(workflow: Workflow): WorkflowIssue[] {
  const issues: WorkflowIssue[] = [];
  const ids = new Set<string>();
  workflow.states.forEach((state, i) => {
    if (ids.has(state.id)) issues.push({ path: `states.${i}.id`, message: `duplicate state id '${state.id}'` });
    ids.add(state.id);
  });
  if (!ids.has(workflow.initial)) {
    issues.push({ path: 'initial', message: `initial state '${workflow.initial}' is not one of the states` });
  }
  workflow.transitions.forEach((transition, i) => {
    if (!ids.has(transition.to)) {
      issues.push({ path: `transitions.${i}.to`, message: `unknown state '${transition.to}'` });
    }
    const from = transition.from;
    if (from === '*') return;
    const listed = typeof from === 'string' ? [from] : from;
    listed.forEach((id, j) => {
      if (ids.has(id)) return;
      const path = typeof from === 'string' ? `transitions.${i}.from` : `transitions.${i}.from.${j}`;
      issues.push({ path, message: `unknown state '${id}'` });
    });
  });
  return issues;
}

function warningsFor(workflow: Workflow): WorkflowWarning[] {
  const warnings: WorkflowWarning[] = [];
  const initial = workflow.states.find((s) => s.id === workflow.initial);
  if (initial && initial.category !== 'not_started') {
    warnings.push({
      code: 'initial_not_started',
      message: `initial state '${initial.id}' is in category '${initial.category}', not 'not_started'`,
      stateId: initial.id,
    });
  }
  if (!workflow.states.some((s) => s.category === 'done')) {
    warnings.push({ code: 'no_done_state', message: 'no state is in category done, so no milestone can finish' });
  }

  const outgoing = new Map<string, string[]>(workflow.states.map((s) => [s.id, []]));
  const eventsFrom = new Map<string, Set<string>>();
  for (const transition of workflow.transitions) {
    for (const source of transitionSources(workflow, transition)) {
      outgoing.get(source)?.push(transition.to);
      if (transition.event === undefined) continue;
      const key = `${source}\u0000${transition.event}`;
      const targets = eventsFrom.get(key) ?? new Set<string>();
      targets.add(transition.to);
      eventsFrom.set(key, targets);
    }
  }

  const reached = new Set<string>([workflow.initial]);
  const queue = [workflow.initial];
  for (let head = 0; head < queue.length; head++) {
    for (const next of outgoing.get(queue[head] as string) ?? []) {
      if (reached.has(next)) continue;
      reached.add(next);
      queue.push(next);
    }
  }
  for (const state of workflow.states) {
    if (!reached.has(state.id)) {
      const message = `state '${state.id}' cannot be reached from '${workflow.initial}'`;
      warnings.push({ code: 'unreachable_state', message, stateId: state.id });
    }
    if (!isClosedCategory(state.category) && (outgoing.get(state.id)?.length ?? 0) === 0) {
      warnings.push({ code: 'dead_end', message: `state '${state.id}' is not closed but has no way out`, stateId: state.id });
    }
  }
  for (const [key, targets] of eventsFrom) {
    if (targets.size < 2) continue;
    const [source, event] = key.split('\u0000');
    warnings.push({
      code: 'ambiguous_event',
      message:
        `event '${event}' from '${source}' leads to ${[...targets].map((t) => `'${t}'`).join(' and ')}; ` +
        'the first transition whose guard passes wins',
      stateId: source,
    });
  }
  return warnings;
}
