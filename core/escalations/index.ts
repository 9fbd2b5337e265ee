export {
  compileEscalationPolicy,
  DEFAULT_ESCALATION_POLICY,
  ESCALATION_TRIGGERS,
  escalationPolicySchema,
  recipientRefSchema,
} from './escalation-policy.ts';
export type {
  CompiledEscalationPolicy,
  EscalationLevel,
  EscalationPolicy,
  EscalationPolicyInput,
  EscalationTrigger,
  EscalationTriggerType,
  RecipientRef,
} from './escalation-policy.ts';
export {
  acknowledgeEscalation,
  breachEscalation,
  ESCALATION_STATES,
  openEscalation,
  raiseEscalation,
  resolveEscalation,
} from './escalation.ts';
export type { Escalation, EscalationError, EscalationEvent, EscalationResult, EscalationState } from './escalation.ts';
export { sweepEscalations } from './sweep-escalations.ts';
export type { EscalationAction, EscalationMilestone, SweepResult } from './sweep-escalations.ts';
export { applyEscalationAction } from './apply-escalation-action.ts';
export { resolveRecipients } from './resolve-recipients.ts';
export type { RecipientDirectory } from './resolve-recipients.ts';
export { escalationReasonText } from './escalation-reason.ts';
export { earlyWarningsCollection, escalationSignalsCollection, escalationsCollection } from './escalation-doc.ts';
export type { EarlyWarningDoc, EscalationDoc, EscalationNotice, EscalationSignalsDoc, OwedEscalationNotice } from './escalation-doc.ts';
export {
  DEFAULT_POLICY_KEY,
  deleteEscalationPolicy,
  escalationPoliciesCollection,
  getEscalationPolicy,
  listEscalationPolicies,
  saveEscalationPolicy,
} from './escalation-policy-doc.ts';
export type { EscalationPolicyDoc, ResolvedEscalationPolicy } from './escalation-policy-doc.ts';
export {
  acknowledgeEscalationById,
  escalationOf,
  getEscalation,
  listEscalations,
  owingEscalation,
  recordEscalationAction,
  resolveEscalationById,
  settleOwedNotice,
} from './escalation-records.ts';
export { loadSweepInput } from './load-sweep-input.ts';
export type { SweepInput, SweptMilestone } from './load-sweep-input.ts';
export { clearEscalationSignal, markEarlyWarning, raiseEscalationSignal, requestRuleEscalation } from './escalation-signals.ts';
export type { EscalationSignal } from './escalation-signals.ts';
export {
  escalationSweepStateCollection,
  milestoneWatchCollection,
  rebuildMilestoneWatch,
  refreshMilestoneWatch,
  watchRebuiltAt,
} from './milestone-watch.ts';
export type { EscalationSweepStateDoc, MilestoneWatchDoc } from './milestone-watch.ts';
