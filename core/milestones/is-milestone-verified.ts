import type { TenantStore } from '../store/index.ts';
import type { MilestoneDoc } from './collections.ts';
import { verificationsCollection } from './verification-collections.ts';

/**
 * True when a verification requested since the milestone's last reset (a rejected submission)
 * has been approved, which is what a transition that `requires.verification` waits for.
 */
export async function isMilestoneVerified(db: TenantStore, doc: Pick<MilestoneDoc, '_id' | 'verificationResetAt'>): Promise<boolean> {
  const since = doc.verificationResetAt ?? new Date(0);
  const approved = await db.collection(verificationsCollection).findOne({ milestoneId: doc._id, status: 'approved', createdAt: { $gte: since } }, { projection: { _id: 1 } });
  return approved !== null;
}
