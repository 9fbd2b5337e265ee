// The public surface of queues/escalations: the sweep that opens, raises, breaches and closes
// escalations and sends early warnings, the event triggers, and the scheduler.

export type { EscalationDeps } from './escalation-deps.ts';
export { runEscalationSweep, type EscalationSweepOptions, type EscalationSweepResult } from './run-escalation-sweep.ts';
export { escalationEventsHook } from './escalation-events-hook.ts';
export { ruleNoticesHook } from './rule-notices-hook.ts';
export {
  ESCALATION_MILESTONES_JOB,
  ESCALATION_SWEEP_JOB,
  ESCALATION_SWEEP_SCHEDULER_ID,
  scheduleEscalationSweep,
  type SweepMilestonesJobData,
} from './escalation-jobs.ts';
export { tenantDirectory, type NoticeMilestone, type TenantDirectory } from './escalation-directory.ts';
export { sendNotices, type SentNotices } from './send-notices.ts';
