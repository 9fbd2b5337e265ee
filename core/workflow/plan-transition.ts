import { evaluateCondition } from './evaluate-condition.ts';
import type { FailedComparison } from './evaluate-condition.ts';
import type { StateCategory } from './state-category.ts';
import { leavesFrom } from './transition-sources.ts';
import type { Workflow, WorkflowState, WorkflowTransition } from './workflow-schema.ts';

/** The event every successful transition emits, before the transition's own `emits`. */
export const TRANSITIONED_EVENT = 'milestone.transitioned';

/** What the planner needs to know about a milestone. */
export interface MilestoneSnapshot {
  status: string;
  /** The facts guards read: `percentComplete`, `tags`, custom fields and so on. */
  attributes?: Readonly<Record<string, unknown>>;
}

/** A dependency that holds a milestone back (the shape `checkDependencies` returns). */
export interface TransitionBlocker {
  dependsOn: string;
  type: string;
  reason: string;
  message: string;
}

/** Facts about the request that the workflow itself cannot know. */
export interface TransitionContext {
  /** The dependency check for the target's category; omitted means nothing blocks. */
  dependencies?: { allowed: boolean; blockers: readonly TransitionBlocker[] };
  /** The milestone's delivery has been verified. @default false */
  verified?: boolean;
  /** The transition has been approved. @default false */
  approved?: boolean;
  /** Who asks: `system` transitions refuse `user`. @default 'user' */
  actor?: 'user' | 'system';
}

/** Either a target state or a trigger event. */
export type TransitionRequest = { to: string } | { event: string };

/** An allowed transition and the events it causes. */
export interface TransitionPlan {
  from: string;
  to: string;
  fromCategory: StateCategory;
  toCategory: StateCategory;
  transition: WorkflowTransition;
  /** {@link TRANSITIONED_EVENT} followed by the transition's `emits`, without duplicates. */
  events: string[];
}

/** Why a transition is refused. `status` is the HTTP status an API should answer with. */
export type TransitionRefusal =
  | { code: 'unknown_state'; status: 422; message: string; state: string }
  | { code: 'unknown_event'; status: 422; message: string; event: string }
  | { code: 'no_transition'; status: 409; message: string; from: string; to?: string; event?: string }
  | { code: 'system_only'; status: 409; message: string }
  | { code: 'blocked_by_dependency'; status: 409; message: string; blockers: TransitionBlocker[] }
  | { code: 'guard_failed'; status: 409 | 422; message: string; failed: FailedComparison[] }
  | { code: 'verification_required'; status: 409; message: string }
  | { code: 'approval_required'; status: 409; message: string };

/** The outcome of {@link planTransition}. */
export type PlanTransitionResult = { ok: true; value: TransitionPlan } | { ok: false; error: TransitionRefusal };

/**
 * Decides whether a milestone may move, and what that move emits; writes nothing.
 *
 * Checks run in a fixed order and the first refusal wins: unknown state or event, no
 * transition, system-only, dependencies, guard, verification, approval. When several
 * transitions fit the request, the first whose guard passes is taken. A guard that is false
 * refuses with status 409; a guard that cannot be evaluated refuses with 422.
 *
 * @example
 * const plan = await planTransition({
 *   workflow: DEFAULT_WORKFLOW,
 *   milestone: { status: 'in_progress', attributes: { percentComplete: 100 } },
 *   request: { to: 'submitted' },
 * });
 * // plan.ok && plan.value.events → ['milestone.transitioned', 'milestone.submitted', 'verification.requested']
 */
export async function planTransition(input: {
  workflow: Workflow;
  milestone: MilestoneSnapshot;
  request: TransitionRequest;
  context?: TransitionContext;
}): Promise<PlanTransitionResult> {
  const { workflow, milestone, request, context = {} } = input;
  const from = stateOf(workflow, milestone.status);
  if (!from) {
    return refuse({
      code: 'unknown_state',
      status: 422,
      state: milestone.status,
      message: `the milestone is in '${milestone.status}', which this workflow does not have`,
    });
  }

  const found = candidatesFor(workflow, from.id, request);
  if (!found.ok) return found;
  const candidates = found.value;

  const permitted = context.actor === 'system' ? candidates : candidates.filter((t) => !t.system);
  if (permitted.length === 0) {
    const message = `only the hub moves a milestone from '${from.id}' to '${candidates[0]?.to}'`;
    return refuse({ code: 'system_only', status: 409, message });
  }

  if (context.dependencies && !context.dependencies.allowed) {
    const blockers = [...context.dependencies.blockers];
    const names = blockers.map((b) => b.dependsOn).join(', ') || 'unknown';
    return refuse({ code: 'blocked_by_dependency', status: 409, blockers, message: `blocked by unfinished dependencies: ${names}` });
  }

  const chosen = await firstPassingGuard(permitted, milestone.attributes ?? {});
  if (!chosen.ok) return chosen;
  const transition = chosen.value;

  if (transition.requires?.verification && context.verified !== true) {
    const message = `moving to '${transition.to}' needs a completed verification`;
    return refuse({ code: 'verification_required', status: 409, message });
  }
  if (transition.requires?.approval && context.approved !== true) {
    return refuse({ code: 'approval_required', status: 409, message: `moving to '${transition.to}' needs an approval` });
  }

  const to = stateOf(workflow, transition.to) as WorkflowState;
  const events = [...new Set([TRANSITIONED_EVENT, ...(transition.emits ?? [])])];
  return {
    ok: true,
    value: { from: from.id, to: to.id, fromCategory: from.category, toCategory: to.category, transition, events },
  };
}

function candidatesFor(
  workflow: Workflow,
  from: string,
  request: TransitionRequest,
): { ok: true; value: WorkflowTransition[] } | { ok: false; error: TransitionRefusal } {
  if ('to' in request) {
    const to = request.to;
    if (!stateOf(workflow, to)) {
      return refuse({ code: 'unknown_state', status: 422, state: to, message: `'${to}' is not a state of workflow '${workflow.id}'` });
    }
    const candidates = workflow.transitions.filter((t) => t.to === to && leavesFrom(workflow, t, from));
    if (candidates.length > 0) return { ok: true, value: candidates };
    return refuse({ code: 'no_transition', status: 409, from, to, message: `no transition from '${from}' to '${to}'` });
  }
  const event = request.event;
  if (!workflow.transitions.some((t) => t.event === event)) {
    return refuse({ code: 'unknown_event', status: 422, event, message: `'${event}' is not an event of workflow '${workflow.id}'` });
  }
  const candidates = workflow.transitions.filter((t) => t.event === event && leavesFrom(workflow, t, from));
  if (candidates.length > 0) return { ok: true, value: candidates };
  return refuse({ code: 'no_transition', status: 409, from, event, message: `'${event}' does not apply in '${from}'` });
}

function stateOf(workflow: Workflow, id: string): WorkflowState | undefined {
  return workflow.states.find((s) => s.id === id);
}

function refuse(error: TransitionRefusal): { ok: false; error: TransitionRefusal } {
  return { ok: false, error };
}

async function firstPassingGuard(
  candidates: readonly WorkflowTransition[],
  facts: Readonly<Record<string, unknown>>,
): Promise<{ ok: true; value: WorkflowTransition } | { ok: false; error: TransitionRefusal }> {
  let firstFailure: TransitionRefusal | undefined;
  for (const transition of candidates) {
    if (!transition.guard) return { ok: true, value: transition };
    const verdict = await evaluateCondition(transition.guard, facts);
    if (verdict.ok && verdict.value.passed) return { ok: true, value: transition };
    firstFailure ??= verdict.ok
      ? {
          code: 'guard_failed',
          status: 409,
          failed: verdict.value.failed,
          message: `the guard on '${transition.to}' is not met: ${describe(verdict.value.failed)}`,
        }
      : {
          code: 'guard_failed',
          status: 422,
          failed: [],
          message: `the guard on '${transition.to}' cannot be evaluated: ${verdict.error.message}`,
        };
  }
  return { ok: false, error: firstFailure as TransitionRefusal };
}

function describe(failed: readonly FailedComparison[]): string {
  if (failed.length === 0) return 'condition is false';
  return failed
    .map((f) => {
      const subject = f.path ? `${f.fact}.${f.path.replace(/^\$\./, '')}` : f.fact;
      const was = f.actual === undefined ? 'missing' : JSON.stringify(f.actual);
      return `${f.negated ? 'not ' : ''}${subject} ${f.operator} ${JSON.stringify(f.value)} (was ${was})`;
    })
    .join('; ');
}
