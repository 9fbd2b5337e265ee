import type { Channel, TemplateKey } from '../notifications/index.ts';
import type { BaseDoc, CollectionDef } from '../store/index.ts';
import type { Escalation } from './escalation.ts';
import type { RecipientRef } from './escalation-policy.ts';

/** Who one level was sent to, and the notifications that carried it. */
export interface EscalationNotice {
  level: number;
  at: Date;
  refs: RecipientRef[];
  /** Person ids, or `client:<project id>:<n>` for a project's client contacts. */
  recipients: string[];
  notificationIds: string[];
  /** Refs that named nobody (an owner without a manager), kept so a gap in the hierarchy shows. */
  unresolved: RecipientRef[];
}

/**
 * A level's notice not yet handed to the notify pipeline: what to send and to whom, as the open or
 * raise that reached the level decided it.
 */
export interface OwedEscalationNotice {
  level: number;
  at: Date;
  refs: RecipientRef[];
  channels?: Channel[];
  templateKey: TemplateKey;
}

/**
 * An escalation as stored: the state machine of core/escalations (`_id` is its id) with the
 * project and policy it ran under, and every notice sent. `level`, `trigger`, `openedAt` and
 * `resolvedAt` are what core/analytics `escalationCounts` reads.
 */
export interface EscalationDoc extends BaseDoc, Omit<Escalation, 'id'> {
  projectId: string;
  /** The key of the policy that opened it. */
  policyKey: string;
  notices: EscalationNotice[];
  resolutionNote?: string;
  /**
   * Set while a business rule's escalation is open or acknowledged (`<tenant>:<milestone>:rule`)
   * and removed when it is resolved: its unique index lets one at a time be unresolved per
   * milestone. Escalations stored without it (other triggers, and those written before it
   * existed) take no part in the index.
   */
  openKey?: string;
  /**
   * The levels whose notices are still to be sent. The open or raise that reaches a level adds it
   * in the same write, and the level moves to `notices` once its notifications are requested, so
   * notices a sweep did not get to send (it failed or stopped after the write) are sent by the
   * next one that finds them owed. Removed when the escalation is resolved; escalations stored
   * before it existed owe nothing.
   */
  owedNotices?: OwedEscalationNotice[];
}

export const escalationsCollection: CollectionDef<EscalationDoc> = {
  name: 'escalations',
  scope: 'tenant',
  indexes: [
    // One escalation per cause: a cause a person resolved is not opened again by the next sweep.
    { fields: { tenantId: 1, milestoneId: 1, causeKey: 1 }, unique: true },
    // One unresolved rule escalation per milestone. A single field: the embedded store leaves a
    // document out of a sparse compound index only when every field of it is missing.
    { fields: { openKey: 1 }, unique: true, sparse: true },
    { fields: { tenantId: 1, state: 1 } },
    { fields: { milestoneId: 1 } },
    { fields: { openedAt: 1 } },
  ],
};

/** An early warning: progress lags the time elapsed. Recorded once per sweep key. */
export interface EarlyWarningDoc extends BaseDoc {
  key: string;
  milestoneId: string;
  projectId: string;
  at: Date;
  percentComplete: number;
  expectedPercent: number;
  rule: { elapsedAtLeast: number; completeBelow: number };
  recipients: string[];
  notificationIds: string[];
  unresolved: RecipientRef[];
}

export const earlyWarningsCollection: CollectionDef<EarlyWarningDoc> = {
  name: 'early_warnings',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, key: 1 }, unique: true }, { fields: { milestoneId: 1 } }],
};

/**
 * Per milestone, what the event triggers saw: when it was disputed and when verification was
 * rejected, and when an invoice could not be delivered on any channel (each cleared when the cause
 * ends), and when the last early warning went out.
 */
export interface EscalationSignalsDoc extends BaseDoc {
  milestoneId: string;
  disputedAt?: Date;
  verificationRejectedAt?: Date;
  invoiceUndeliveredAt?: Date;
  /**
   * When a business rule last asked to escalate, and to which level (the highest asked for while
   * the rule's escalation is open, which the sweep raises it to).
   */
  ruleEscalatedAt?: Date;
  ruleEscalationLevel?: number;
  lastEarlyWarningAt?: Date;
}

export const escalationSignalsCollection: CollectionDef<EscalationSignalsDoc> = {
  name: 'escalation_signals',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, milestoneId: 1 }, unique: true }],
};
