import type { TenantStore } from '../store/index.ts';
import { escalationSignalsCollection } from './escalation-doc.ts';

/** The event-trigger signals a domain event can raise or clear. */
export type EscalationSignal = 'disputedAt' | 'verificationRejectedAt' | 'invoiceUndeliveredAt';

/** Raises a signal at `at`, keeping the earlier instant when it is already raised (the cause started then). */
export async function raiseEscalationSignal(db: TenantStore, milestoneId: string, signal: EscalationSignal, at: Date): Promise<void> {
  await db.collection(escalationSignalsCollection).updateOne({ milestoneId }, { $min: { [signal]: at } }, { upsert: true });
}

/** Clears a signal: its cause ended, and the next sweep closes its escalation. */
export async function clearEscalationSignal(db: TenantStore, milestoneId: string, signal: EscalationSignal): Promise<void> {
  await db.collection(escalationSignalsCollection).updateOne({ milestoneId }, { $unset: { [signal]: true } });
}

/**
 * Records a business rule's request to escalate. The latest request wins, so a rule firing
 * again after a person resolved the last one opens a new escalation (a new cause).
 */
export async function requestRuleEscalation(db: TenantStore, milestoneId: string, at: Date, level: number): Promise<void> {
  await db.collection(escalationSignalsCollection).updateOne({ milestoneId }, { $max: { ruleEscalatedAt: at }, $set: { ruleEscalationLevel: level } }, { upsert: true });
}

/** Remembers when the last early warning about a milestone went out. */
export async function markEarlyWarning(db: TenantStore, milestoneId: string, at: Date): Promise<void> {
  await db.collection(escalationSignalsCollection).updateOne({ milestoneId }, { $max: { lastEarlyWarningAt: at } }, { upsert: true });
}
