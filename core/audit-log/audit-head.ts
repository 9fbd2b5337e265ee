import { GENESIS_HASH } from '../audit/index.ts';
import { DuplicateKeyError, VersionConflictError, type TenantStore } from '../store/index.ts';
import { auditHeadsCollection, auditLogCollection, type AuditHeadDoc } from './collections.ts';

/** The tenant's head document, created at the genesis hash on first use. */
export async function readAuditHead(db: TenantStore): Promise<AuditHeadDoc> {
  const heads = db.collection(auditHeadsCollection);
  const found = await heads.findOne({});
  if (found) return found;
  try {
    return await heads.insert({ _id: `audithead_${db.tenantId}`, seq: 0, hash: GENESIS_HASH });
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
    const raced = await heads.findOne({});
    if (!raced) throw err;
    return raced;
  }
}

/**
 * Moves the head over entries already linked after it: a writer that stopped between inserting
 * its entries and moving the head leaves them so, and whoever comes next finishes the move.
 * Returns the head as it stands afterwards.
 */
export async function rollAuditHeadForward(db: TenantStore): Promise<AuditHeadDoc> {
  const heads = db.collection(auditHeadsCollection);
  const log = db.collection(auditLogCollection);
  for (;;) {
    const head = await readAuditHead(db);
    const next = await log.find({ seq: { $gt: head.seq } }, { sort: { seq: 1 }, limit: 10_000, projection: { seq: 1, prevHash: 1, hash: 1 } });
    let seq = head.seq;
    let hash = head.hash;
    for (const entry of next) {
      if (entry.seq !== seq + 1 || entry.prevHash !== hash) break;
      seq = entry.seq;
      hash = entry.hash;
    }
    if (seq === head.seq) return head;
    try {
      const moved = await heads.updateOne({ _id: head._id }, { $set: { seq, hash } }, { expectedVersion: head.version });
      if (moved && next.length < 10_000) return moved;
    } catch (err) {
      if (!(err instanceof VersionConflictError)) throw err;
    }
  }
}
