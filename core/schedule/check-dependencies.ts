import type { StateCategory } from '../workflow/index.ts';
import { evaluateConditionExpression } from './dependency-condition.ts';
import type { Dependency, DependencyType } from './dependency.ts';

/** What is known about a predecessor right now. */
export interface PredecessorState {
  id: string;
  category: StateCategory;
  /** Its workflow state id, readable by conditions as `status`. */
  status?: string;
  percentComplete?: number;
  attributes?: Readonly<Record<string, unknown>>;
}

/** Why one dependency holds the milestone back. */
export interface DependencyBlocker {
  dependsOn: string;
  type: DependencyType;
  reason: 'predecessor_not_done' | 'predecessor_not_started' | 'condition_false' | 'condition_error' | 'predecessor_missing';
  message: string;
  condition?: string;
}

/** The outcome of {@link checkDependencies}; `allowed` is true exactly when `blockers` is empty. */
export interface DependencyCheck {
  allowed: boolean;
  blockers: DependencyBlocker[];
}

/**
 * Decides whether a milestone may enter `targetCategory` given its dependencies.
 *
 * Dependencies are checked whenever a milestone enters `active` or `done` from another category
 * (starting, finishing, reopening); moves within a category and moves to `not_started` or
 * `cancelled` are never blocked. A predecessor that is cancelled blocks nothing, because it will
 * never progress and would otherwise strand its successors. Beyond that:
 * - finish-to-start needs the predecessor `done`;
 * - start-to-start needs it `active` or `done`;
 * - conditional needs its expression to be exactly `true` over the predecessor's attributes,
 *   with `id`, `status`, `category` and `percentComplete` added.
 * A predecessor missing from `predecessors` blocks, since nothing can be said about it.
 * Dependencies of other milestones in `dependencies` are ignored, so a project's whole list
 * can be passed.
 *
 * @example
 * await checkDependencies({
 *   milestoneId: 'm2',
 *   targetCategory: 'active',
 *   dependencies: [{ milestoneId: 'm2', dependsOn: 'm1', type: 'finish-to-start' }],
 *   predecessors: [{ id: 'm1', category: 'active' }],
 * }) // { allowed: false, blockers: [{ dependsOn: 'm1', reason: 'predecessor_not_done', ... }] }
 */
export async function checkDependencies(input: {
  milestoneId: string;
  targetCategory: StateCategory;
  fromCategory?: StateCategory;
  dependencies: readonly Dependency[];
  predecessors: ReadonlyMap<string, PredecessorState> | readonly PredecessorState[];
}): Promise<DependencyCheck> {
  const { milestoneId, targetCategory, fromCategory } = input;
  const gated = (targetCategory === 'active' || targetCategory === 'done') && fromCategory !== targetCategory;
  if (!gated) return { allowed: true, blockers: [] };

  const predecessors = 'get' in input.predecessors ? input.predecessors : new Map(input.predecessors.map((p) => [p.id, p]));
  const blockers: DependencyBlocker[] = [];
  for (const dependency of input.dependencies) {
    if (dependency.milestoneId !== milestoneId) continue;
    const blocker = await blockerFor(dependency, predecessors.get(dependency.dependsOn));
    if (blocker) blockers.push(blocker);
  }
  return { allowed: blockers.length === 0, blockers };
}

async function blockerFor(
  dependency: Dependency,
  predecessor: PredecessorState | undefined,
): Promise<DependencyBlocker | undefined> {
  const { dependsOn, type } = dependency;
  if (!predecessor) {
    return { dependsOn, type, reason: 'predecessor_missing', message: `predecessor '${dependsOn}' was not found` };
  }
  if (predecessor.category === 'cancelled') return undefined;
  switch (type) {
    case 'finish-to-start':
      if (predecessor.category === 'done') return undefined;
      return {
        dependsOn,
        type,
        reason: 'predecessor_not_done',
        message: `'${dependsOn}' must be done first (it is ${predecessor.category})`,
      };
    case 'start-to-start':
      if (predecessor.category === 'active' || predecessor.category === 'done') return undefined;
      return { dependsOn, type, reason: 'predecessor_not_started', message: `'${dependsOn}' must have started first` };
    case 'conditional':
      return conditionalBlocker(dependency, predecessor);
  }
}

async function conditionalBlocker(
  dependency: Dependency,
  predecessor: PredecessorState,
): Promise<DependencyBlocker | undefined> {
  const { dependsOn, type } = dependency;
  const condition = dependency.condition ?? '';
  const facts = {
    ...predecessor.attributes,
    id: predecessor.id,
    category: predecessor.category,
    ...(predecessor.status === undefined ? {} : { status: predecessor.status }),
    ...(predecessor.percentComplete === undefined ? {} : { percentComplete: predecessor.percentComplete }),
  };
  const outcome = await evaluateConditionExpression(condition, facts);
  if (!outcome.ok) {
    const message = `condition on '${dependsOn}' failed: ${outcome.error.message}`;
    return { dependsOn, type, condition, reason: 'condition_error', message };
  }
  if (outcome.value) return undefined;
  return { dependsOn, type, condition, reason: 'condition_false', message: `'${dependsOn}' does not yet meet: ${condition}` };
}
