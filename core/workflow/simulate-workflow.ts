import { planTransition } from './plan-transition.ts';
import type { TransitionContext, TransitionRefusal, TransitionRequest } from './plan-transition.ts';
import type { Workflow } from './workflow-schema.ts';

/**
 * One step to play: an event name or state id as a string (event names win when both match),
 * or an object naming one of them. `set` changes attributes before the step is planned;
 * a step with only `set` changes attributes and moves nothing.
 */
export type SimulationStep =
  | string
  | {
      event?: string;
      to?: string;
      set?: Readonly<Record<string, unknown>>;
      /** Merged over the simulation's context for this step only. */
      context?: TransitionContext;
    };

/** What happened at one step. */
export interface SimulatedStep {
  index: number;
  /** Undefined for a step that only sets attributes. */
  request?: TransitionRequest;
  from: string;
  outcome: 'moved' | 'refused' | 'updated';
  to: string;
  events: string[];
  refusal?: TransitionRefusal;
}

/** The path a sample milestone took. */
export interface SimulationResult {
  /** State ids visited, starting with the initial status; refused steps add nothing. */
  path: string[];
  steps: SimulatedStep[];
  final: { status: string; attributes: Record<string, unknown> };
  /** False when a step was refused. */
  completed: boolean;
}

/**
 * Plays a sequence of events or targets against a sample milestone with the same planner the
 * API uses, and reports each step's outcome. Writes nothing. Refused steps leave the milestone
 * where it was and, unless `stopOnRefusal`, play continues.
 *
 * @example
 * await simulateWorkflow({
 *   workflow: DEFAULT_WORKFLOW,
 *   steps: ['start', { event: 'submit', set: { percentComplete: 100 } }, { event: 'verify', context: { verified: true } }],
 * }) // path: ['planned', 'in_progress', 'submitted', 'verified']
 */
export async function simulateWorkflow(input: {
  workflow: Workflow;
  milestone?: { status?: string; attributes?: Readonly<Record<string, unknown>> };
  steps: readonly SimulationStep[];
  context?: TransitionContext;
  stopOnRefusal?: boolean;
}): Promise<SimulationResult> {
  const { workflow, steps, context = {}, stopOnRefusal = false } = input;
  let status = input.milestone?.status ?? workflow.initial;
  let attributes: Record<string, unknown> = { ...input.milestone?.attributes };
  const path = [status];
  const played: SimulatedStep[] = [];
  let completed = true;

  for (const [index, step] of steps.entries()) {
    const spec = typeof step === 'string' ? {} : step;
    if (spec.set) attributes = { ...attributes, ...spec.set };
    const request = requestFor(workflow, step);
    if (!request) {
      played.push({ index, from: status, outcome: 'updated', to: status, events: [] });
      continue;
    }
    const plan = await planTransition({
      workflow,
      milestone: { status, attributes },
      request,
      context: { ...context, ...spec.context },
    });
    if (!plan.ok) {
      completed = false;
      played.push({ index, request, from: status, outcome: 'refused', to: status, events: [], refusal: plan.error });
      if (stopOnRefusal) break;
      continue;
    }
    played.push({ index, request, from: status, outcome: 'moved', to: plan.value.to, events: plan.value.events });
    status = plan.value.to;
    path.push(status);
  }
  return { path, steps: played, final: { status, attributes }, completed };
}

function requestFor(workflow: Workflow, step: SimulationStep): TransitionRequest | undefined {
  if (typeof step !== 'string') {
    if (step.event !== undefined) return { event: step.event };
    if (step.to !== undefined) return { to: step.to };
    return undefined;
  }
  if (workflow.transitions.some((t) => t.event === step)) return { event: step };
  if (workflow.states.some((s) => s.id === step)) return { to: step };
  return { event: step };
}
