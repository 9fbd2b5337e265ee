import type { Actor, DomainEvent, RevisionedDoc } from '../domain/index.ts';
import type { BaseDoc, CollectionDef } from '../store/index.ts';
import type { Condition } from '../workflow/index.ts';

/** How completion is confirmed: people, a check the hub runs or a connector reports, or both. */
export const VERIFICATION_METHODS = ['manual', 'automated', 'hybrid'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

/** Who may decide one step: an API key role, or a person (through the keys linked to them or a reply). */
export type Approver = { role: string; personId?: undefined } | { personId: string; role?: undefined };

/** People who approve: one after another, or any `required` of the listed approvers. */
export type ApprovalChain = { mode: 'sequential'; steps: Approver[] } | { mode: 'quorum'; required: number; approvers: Approver[] };

/** The automated half: a condition over the milestone, and/or a named signal a connector reports. */
export interface AutomatedCheck {
  condition?: Condition;
  /** e.g. `jira.issue.done`; a connector reports it with the same name. */
  signal?: string;
  /** When set, only this connection's signal counts. */
  connectionId?: string;
  passed?: boolean;
  passedAt?: Date;
  detail?: string;
}

/** One approver's decision. `step` is the sequential step or the quorum approver it counted for. */
export interface VerificationDecision {
  at: Date;
  by: Actor;
  personId?: string;
  decision: 'approve' | 'reject';
  comment?: string;
  step: number;
}

/** A request to verify a milestone's delivery and where it stands. */
export interface VerificationDoc extends RevisionedDoc {
  milestoneId: string;
  projectId: string;
  method: VerificationMethod;
  chain?: ApprovalChain;
  automated?: AutomatedCheck;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  decisions: VerificationDecision[];
  /** The sequential step waiting for a decision. */
  currentStep: number;
  requestedBy: Actor;
  note?: string;
  approvedAt?: Date;
  rejectedAt?: Date;
  outbox: DomainEvent[];
}

/** A record that backs a claim: who gave it, what it is, its content hash and where it lives. */
export interface EvidenceDoc extends BaseDoc {
  milestoneId: string;
  verificationId?: string;
  by: Actor;
  /** What it is: `photo`, `report`, `signed-handover`, `test-result` ... */
  kind: string;
  description?: string;
  /** `sha256:<hex>` of the content. */
  contentHash?: string;
  link?: string;
  mediaType?: string;
  size?: number;
  /** The transition it came with, if any. */
  transition?: { from: string; to: string };
  at: Date;
  /**
   * While the record waits for the write that names it (see `stageEvidence`): the writes it was
   * stored for, each with its audit entry and where that entry waits until it is linked. Readers
   * skip the record until one of those writes is stored; then it is cleared. Never shown. (A
   * plain audit entry id is a record stored before the place was kept.) A record none of whose
   * writes is stored anywhere, waiting longer than `EVIDENCE_ORPHAN_MAX_AGE_MS` since `at`, is
   * deleted by the reader that finds it so; nothing else deletes evidence, so a record a stored
   * write names stays whether it was cleared or not.
   */
  attaching?: (EvidenceWrite | string)[];
}

/** A write a waiting evidence record was stored for: its audit entry, and the document that entry waits on until it is linked. */
export interface EvidenceWrite {
  audit: string;
  /** The collection the write targets, by name. */
  collection: string;
  /** The document the write targets, whose `auditOutbox` holds the entry until it is linked. */
  document: string;
}

export const verificationsCollection: CollectionDef<VerificationDoc> = {
  name: 'verifications',
  scope: 'tenant',
  indexes: [{ fields: { milestoneId: 1 } }],
};

export const evidenceCollection: CollectionDef<EvidenceDoc> = {
  name: 'evidence',
  scope: 'tenant',
  // No TTL index: a waiting record may be named by a stored write not yet seen by any reader.
  indexes: [{ fields: { milestoneId: 1 } }],
};
