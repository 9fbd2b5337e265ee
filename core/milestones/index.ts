export { MILESTONE_KINDS, OWNER_KINDS, OWNER_ROLES, PRIORITIES, RISKS, milestonesCollection } from './collections.ts';
export type { MilestoneDelay, MilestoneDependency, MilestoneDoc, MilestoneKind, MilestonePayment, Owner, OwnerKind, OwnerRole } from './collections.ts';
export { VERIFICATION_METHODS, evidenceCollection, verificationsCollection } from './verification-collections.ts';
export type {
  ApprovalChain,
  Approver,
  AutomatedCheck,
  EvidenceDoc,
  VerificationDecision,
  VerificationDoc,
  VerificationMethod,
} from './verification-collections.ts';
export { milestoneDependencySchema, milestoneInputSchema, milestonePatchSchema, milestonePaymentSchema, ownerSchema } from './milestone-schema.ts';
export type { MilestoneInput, MilestonePatch } from './milestone-schema.ts';
export { isOverdue, milestoneFacts, milestoneSummary, milestoneView, paymentValue } from './milestone-view.ts';
export type { MilestoneSummary, MilestoneView } from './milestone-view.ts';
export { ownerRefOf } from './milestone-draft.ts';
export { createMilestone } from './create-milestone.ts';
export { updateMilestone } from './update-milestone.ts';
export { milestoneDelayInputSchema, reportMilestoneDelay } from './report-delay.ts';
export type { MilestoneDelayInput } from './report-delay.ts';
export type { UpdateMilestoneOptions } from './update-milestone.ts';
export { deleteMilestone } from './delete-milestone.ts';
export { canSee, checkMilestoneFilter, contractValuesOf, getMilestone, listMilestones, milestoneQuery } from './read-milestones.ts';
export type { MilestoneFilter } from './read-milestones.ts';
export { transitionInputSchema, transitionMilestone } from './transition-milestone.ts';
export type { TransitionInput, TransitionOptions } from './transition-milestone.ts';
export { migrateMilestoneWorkflow, migrateWorkflowInputSchema } from './migrate-milestone-workflow.ts';
export { resolveMilestoneWorkflow } from './resolve-workflow.ts';
export { isMilestoneVerified } from './is-milestone-verified.ts';
export { attachEvidence, EVIDENCE_LEASE_MS, EVIDENCE_ORPHAN_MAX_AGE_MS, evidenceInputSchema, listEvidence, readEvidence, stageEvidenceWithAudit } from './evidence.ts';
export type { CheckedEvidence, EvidenceInput, StagedEvidence } from './evidence.ts';
export { archiveProject, updateProject } from './update-project.ts';
export { applyTemplateInputSchema, applyTemplateToProject } from './apply-template.ts';
export type { AppliedTemplate, ApplyTemplateInput } from './apply-template.ts';
export { duplicateMilestone, duplicateMilestoneInputSchema, duplicateProject, duplicateProjectInputSchema } from './duplicate.ts';
export { exportMilestones, importMilestones, MAX_IMPORT_ITEMS, milestonesToCsv } from './import-export.ts';
export type { ImportIssue, ImportResult, MilestoneExport } from './import-export.ts';
export { CSV_COLUMNS } from './milestone-csv.ts';
export { bulkUpdateInputSchema, bulkUpdateMilestones, MAX_BULK_ITEMS } from './bulk-update.ts';
export type { BulkItemResult, BulkUpdateInput } from './bulk-update.ts';
export { projectSchedule } from './project-schedule.ts';
export type { ProjectSchedule, ScheduledMilestone } from './project-schedule.ts';
export { runMilestoneRules, RULE_SETTABLE_FIELDS } from './run-milestone-rules.ts';
export { MILESTONE_AUDIT_COLLECTIONS, milestoneAuditHook } from './milestone-audit.ts';
