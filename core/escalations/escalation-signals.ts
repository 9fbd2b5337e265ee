import type { TenantStore } from '../store/index.ts';
import { escalationSignalsCollection, escalationsCollection } from './escalation-doc.ts';

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
 * Records a business rule's request to escalate. With no rule escalation of the milestone open,
 * the latest request names the level, so a rule firing again after a person resolved the last
 * one opens a new escalation (a new cause) at the level it asks for. While one is open, the
 * highest level asked for is kept: the next sweep raises the open escalation to it when it is
 * above the current level, and a later request for a lower level cannot take back one not yet
 * carried out. Recording the same request twice changes nothing. A request made before a person
 * resolved the rule's escalation is not a new cause (the sweep compares it with the resolution),
 * even when it is recorded after the resolution.
 */
export async function requestRuleEscalation(db: TenantStore, milestoneId: string, at: Date, level: number): Promise<void> {
  const open = await db.collection(escalationsCollection).findOne({ milestoneId, trigger: 'rule', state: { $in: ['open', 'acknowledged'] } }, { projection: { _id: 1 } });
  const update = open ? { $max: { ruleEscalatedAt: at, ruleEscalationLevel: level } } : { $max: { ruleEscalatedAt: at }, $set: { ruleEscalationLevel: level } };
  await db.collection(escalationSignalsCollection).updateOne({ milestoneId }, update, { upsert: true });
}

/** Remembers when the last early warning about a milestone went out. */
export async function markEarlyWarning(db: TenantStore, milestoneId: string, at: Date): Promise<void> {
  await db.collection(escalationSignalsCollection).updateOne({ milestoneId }, { $max: { lastEarlyWarningAt: at } }, { upsert: true });
}
