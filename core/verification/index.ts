export { disputesCollection } from './collections.ts';
export type { DisputeDoc } from './collections.ts';
export { approvalChainSchema, approverSchema, decisionSchema, signalSchema, verificationRequestSchema } from './verification-schema.ts';
export type { DecisionInput, SignalInput, VerificationRequest } from './verification-schema.ts';
export {
  approverIdentity,
  cancelVerification,
  decideVerification,
  describeApprover,
  getVerification,
  listVerifications,
  recordVerificationSignal,
  requestVerification,
} from './verification-services.ts';
export type { ApproverIdentity } from './verification-services.ts';
export { listDisputes, raiseDispute, raiseDisputeSchema, resolveDispute, resolveDisputeSchema } from './disputes.ts';
export { addMilestoneEvidence } from './add-evidence.ts';
