export { DEPENDENCY_TYPES, dependencySchema } from './dependency.ts';
export type { Dependency, DependencyEdge, DependencyType } from './dependency.ts';
export { checkConditionExpression, MAX_CONDITION_EXPRESSION_LENGTH } from './dependency-condition.ts';
export type { ExpressionError } from './dependency-condition.ts';
export { detectCycle, formatCycle } from './detect-cycle.ts';
export { checkDependencies } from './check-dependencies.ts';
export type { DependencyBlocker, DependencyCheck, PredecessorState } from './check-dependencies.ts';
export { criticalPath } from './critical-path.ts';
export type { CriticalPathError, CriticalPathSchedule, ScheduleItem, ScheduledItem } from './critical-path.ts';
export { isIsoDate } from './date-only.ts';
export {
  addCalendarDays,
  addWorkingDays,
  calendarDaysBetween,
  countWorkingDays,
  isWorkingDay,
  MAX_WORKING_DAY_SPAN,
} from './working-days.ts';
export type { WorkingCalendar } from './working-days.ts';
