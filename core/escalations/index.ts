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
