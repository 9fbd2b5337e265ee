import { isClosedCategory } from './state-category.ts';
import type { Workflow, WorkflowTransition } from './workflow-schema.ts';

/** The ids of the states a transition may be taken from, in the workflow's state order. */
export function transitionSources(workflow: Workflow, transition: WorkflowTransition): string[] {
  const { from, to } = transition;
  if (from === '*') {
    return workflow.states.filter((s) => s.id !== to && !isClosedCategory(s.category)).map((s) => s.id);
  }
  const listed = new Set(typeof from === 'string' ? [from] : from);
  return workflow.states.filter((s) => listed.has(s.id)).map((s) => s.id);
}

/** True when `transition` may be taken from `stateId`. */
export function leavesFrom(workflow: Workflow, transition: WorkflowTransition, stateId: string): boolean {
  const { from } = transition;
  if (from === '*') {
    const state = workflow.states.find((s) => s.id === stateId);
    return state !== undefined && stateId !== transition.to && !isClosedCategory(state.category);
  }
  return typeof from === 'string' ? from === stateId : from.includes(stateId);
}
