import { DuplicateKeyError } from '../store/index.ts';
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
 * one opens a new escalation (a new cause) at the level it asks for; requests made at the same
 * instant (several rules firing on one change) keep the highest level, and one recorded after a
 * later request changes nothing. While one is open, the highest level asked for is kept: the
 * next sweep raises the open escalation to it when it is above the current level, and a later
 * request for a lower level cannot take back one not yet carried out. Recording the same request
 * twice changes nothing. A request made before a person resolved the rule's escalation is not a
 * new cause (the sweep compares it with the resolution), even when it is recorded after the
 * resolution. Each write compares and changes in one step, so requests recorded at once cannot
 * leave a lower level in place of a higher one.
 *
 * Whether one is open is decided by the write that records the level on it (its
 * `requestedLevel`, which the sweep raises it to as well), not by an earlier read: a request
 * taken for one made while none was open still names the level on the signals, and one landing
 * on an escalation that opened meanwhile is kept there, so the sweep sees the higher of the two.
 */
export async function requestRuleEscalation(db: TenantStore, milestoneId: string, at: Date, level: number): Promise<void> {
  const signals = db.collection(escalationSignalsCollection);
  const open = await db
    .collection(escalationsCollection)
    .updateOne({ milestoneId, trigger: 'rule', state: { $in: ['open', 'acknowledged'] } }, { $max: { requestedLevel: level } });
  if (open) {
    await signals.updateOne({ milestoneId }, { $max: { ruleEscalatedAt: at, ruleEscalationLevel: level } }, { upsert: true });
    return;
  }
  for (let attempt = 0; ; attempt += 1) {
    const later = await signals.updateOne(
      { milestoneId, $or: [{ ruleEscalatedAt: { $exists: false } }, { ruleEscalatedAt: { $lt: at } }] },
      { $set: { ruleEscalatedAt: at, ruleEscalationLevel: level } },
    );
    if (later) return;
    const sameInstant = await signals.updateOne({ milestoneId, ruleEscalatedAt: at }, { $max: { ruleEscalationLevel: level } });
    // Otherwise a later request is recorded already, and named the level.
    if (sameInstant || (await signals.findOne({ milestoneId }, { projection: { _id: 1 } }))) return;
    try {
      await signals.insert({ milestoneId, ruleEscalatedAt: at, ruleEscalationLevel: level });
      return;
    } catch (err) {
      // Another request inserted the milestone's signals first: compare with it.
      if (!(err instanceof DuplicateKeyError) || attempt >= 2) throw err;
    }
  }
}

/** Remembers when the last early warning about a milestone went out. */
export async function markEarlyWarning(db: TenantStore, milestoneId: string, at: Date): Promise<void> {
  await db.collection(escalationSignalsCollection).updateOne({ milestoneId }, { $max: { lastEarlyWarningAt: at } }, { upsert: true });
}
