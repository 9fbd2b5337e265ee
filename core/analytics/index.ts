export type {
  AnalyticsEscalation,
  AnalyticsInvoice,
  AnalyticsMilestone,
  AnalyticsProject,
  AnalyticsVerification,
  EscalationFields,
  InvoiceFields,
  MilestoneFields,
  ProjectFields,
  StatusSets,
  VerificationFields,
} from './assumed-shapes.ts';
export {
  DEFAULT_STATUS_SETS,
  ESCALATION_FIELDS,
  INVOICE_FIELDS,
  MILESTONE_FIELDS,
  OPEN_INVOICE_STATUSES,
  PROJECT_FIELDS,
  VERIFICATION_FIELDS,
} from './assumed-shapes.ts';
export type { AnalyticsSource } from './analytics-source.ts';
export type { TimeWindow } from './time-window.ts';

export { completionRate, completionRatePipeline } from './completion-rate.ts';
export type { CompletionCounts, CompletionRate, MilestoneMetricOptions } from './completion-rate.ts';
export { delayPatterns, delayPatternsPipeline } from './delay-patterns.ts';
export type { DelayCategory } from './delay-patterns.ts';
export { ownerPerformance, ownerPerformancePipeline } from './owner-performance.ts';
export type { OwnerPerformance } from './owner-performance.ts';
export { verificationTurnaround, verificationTurnaroundPipeline } from './verification-turnaround.ts';
export type { VerificationTurnaround } from './verification-turnaround.ts';
export { escalationCounts, escalationCountsPipeline } from './escalation-counts.ts';
export type { EscalationCounts } from './escalation-counts.ts';
export { daysToPay, daysToPayPipeline } from './days-to-pay.ts';
export type { ClientDaysToPay } from './days-to-pay.ts';
export { AGEING_BUCKETS, receivablesAgeing, receivablesAgeingPipeline } from './receivables-ageing.ts';
export type { AgeingAmounts, AgeingBucket, ReceivablesAgeing, ReceivablesAgeingOptions } from './receivables-ageing.ts';
export { cashFlowPipeline, cashFlowProjection, projectionBoundaries } from './cash-flow-projection.ts';
export type { CashFlowOptions, CashFlowPeriod, CashFlowProjection, ProjectFacts } from './cash-flow-projection.ts';
