export { auditHeadsCollection, auditLogCollection, HASHED_FIELDS } from './collections.ts';
export type { AuditEntryDoc, AuditHeadDoc } from './collections.ts';
export { appendAudit } from './append-audit.ts';
export type { AuditInput } from './append-audit.ts';
export { readAuditHead, rollAuditHeadForward } from './audit-head.ts';
export { verifyAuditLog } from './verify-audit-log.ts';
export type { AuditVerification } from './verify-audit-log.ts';
export { listAuditEntries } from './list-audit-entries.ts';
export { recordChanges } from './record-changes.ts';
export {
  AGGREGATE_COLLECTION_NAMES,
  AUDIT_IGNORED_FIELDS,
  linkPendingAudit,
  PENDING_AUDIT_FIELD,
  pendingAudit,
  pendingAuditHook,
  settlePendingAudit,
  withoutPendingAudit,
} from './pending-audit.ts';
export type { PendingAuditEntry, PendingAuditHolder, RecordedChange } from './pending-audit.ts';
