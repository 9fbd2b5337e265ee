export { STATE_CATEGORIES, isClosedCategory } from './state-category.ts';
export type { StateCategory } from './state-category.ts';
export { CONDITION_OPERATORS, BUILT_IN_OPERATORS, HUB_OPERATORS, MAX_MATCH_INPUT } from './condition-operators.ts';
export type { ConditionOperator } from './condition-operators.ts';
export { conditionSchema, MAX_CONDITION_DEPTH, MAX_CONDITION_LEAVES } from './condition-schema.ts';
export type { Condition, ConditionLeaf, ConditionNode } from './condition-schema.ts';
export { evaluateCondition } from './evaluate-condition.ts';
export type { ConditionEvaluation, ConditionVerdict, FailedComparison } from './evaluate-condition.ts';
export { compileSafePattern, MAX_PATTERN_LENGTH } from './safe-pattern.ts';
export type { PatternError } from './safe-pattern.ts';
export { workflowSchema, workflowStateSchema, workflowTransitionSchema } from './workflow-schema.ts';
export type { Workflow, WorkflowState, WorkflowTransition } from './workflow-schema.ts';
export { parseWorkflow } from './parse-workflow.ts';
export type { ParseWorkflowResult, WorkflowIssue, WorkflowWarning } from './parse-workflow.ts';
export { DEFAULT_WORKFLOW } from './default-workflow.ts';
export { leavesFrom, transitionSources } from './transition-sources.ts';
export { planTransition, TRANSITIONED_EVENT } from './plan-transition.ts';
export type {
  MilestoneSnapshot,
  PlanTransitionResult,
  TransitionBlocker,
  TransitionContext,
  TransitionPlan,
  TransitionRefusal,
  TransitionRequest,
} from './plan-transition.ts';
export { simulateWorkflow } from './simulate-workflow.ts';
export type { SimulatedStep, SimulationResult, SimulationStep } from './simulate-workflow.ts';
export { buildStatusMapping, migrateMilestoneStatus } from './migrate-milestone-status.ts';
export type { MigratedStatus, StatusMigrationError } from './migrate-milestone-status.ts';
