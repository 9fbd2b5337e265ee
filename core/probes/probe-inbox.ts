import { DuplicateKeyError } from '../store/index.ts';
import type { TenantStore } from '../store/index.ts';
import { probeInboxCollection } from './probe-doc.ts';
import type { ProbeInboxDoc } from './probe-doc.ts';

/**
 * Claims an inbound message by its processed-key (`<channel>:<provider message id>`): `new` the
 * first time, `retry` when an earlier run stopped before settling it, `done` once settled.
 */
export async function claimInbound(db: TenantStore, key: string, at: Date): Promise<'new' | 'retry' | 'done'> {
  const inbox = db.collection(probeInboxCollection);
  try {
    await inbox.insert({ key, status: 'received', receivedAt: at });
    return 'new';
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
    const found = await inbox.findOne({ key });
    return found?.status === 'received' ? 'retry' : 'done';
  }
}

/** Settles a claimed message with what became of it. */
export async function settleInbound(db: TenantStore, key: string, outcome: { status: Exclude<ProbeInboxDoc['status'], 'received'>; probeId?: string; reason?: string }): Promise<void> {
  await db.collection(probeInboxCollection).updateOne({ key }, { $set: outcome });
}
