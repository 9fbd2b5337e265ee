import { GENESIS_HASH, verifyChain } from '../audit/index.ts';
import type { TenantStore } from '../store/index.ts';
import { rollAuditHeadForward } from './audit-head.ts';
import { auditLogCollection, type AuditEntryDoc } from './collections.ts';
import { hashableEntry } from './hashable-entry.ts';

/** What {@link verifyAuditLog} found. */
export type AuditVerification =
  | { ok: true; count: number; headHash: string }
  | {
      ok: false;
      code: 'hash_mismatch' | 'prev_link_mismatch' | 'head_mismatch' | 'sequence_gap';
      message: string;
      /** The first entry that breaks the chain; absent when entries are missing at the end. */
      entry?: { id: string; seq: number; action: string; aggregate: AuditEntryDoc['aggregate']; at: Date };
    };

const BATCH = 5000;

/**
 * Re-computes the tenant's whole chain in sequence order and names the first entry that breaks
 * it: edited in place (`hash_mismatch`), removed, inserted or re-linked (`prev_link_mismatch`,
 * `sequence_gap`), or the newest entries gone (`head_mismatch`, against the head document).
 */
export async function verifyAuditLog(db: TenantStore): Promise<AuditVerification> {
  const head = await rollAuditHeadForward(db);
  const log = db.collection(auditLogCollection);
  let prevHash = GENESIS_HASH;
  let lastSeq = 0;
  let count = 0;
  for (;;) {
    const batch = await log.find({ seq: { $gt: lastSeq } }, { sort: { seq: 1 }, limit: BATCH });
    if (batch.length === 0) break;
    for (const doc of batch) {
      if (doc.seq !== lastSeq + 1) {
        return { ok: false, code: 'sequence_gap', message: `entries ${lastSeq + 1} to ${doc.seq - 1} are missing`, entry: view(doc) };
      }
      const checked = verifyChain([hashableEntry(doc)], { startHash: prevHash });
      if (!checked.ok) return { ok: false, code: checked.error.code, message: checked.error.message.replace(/^entry 0/, `entry ${doc.seq}`), entry: view(doc) };
      prevHash = doc.hash;
      lastSeq = doc.seq;
      count += 1;
    }
  }
  if (head.seq !== lastSeq || head.hash !== prevHash) {
    return { ok: false, code: 'head_mismatch', message: `the chain ends at entry ${lastSeq} but the head records entry ${head.seq}: newest entries are missing or altered` };
  }
  return { ok: true, count, headHash: prevHash };
}

function view(doc: AuditEntryDoc) {
  return { id: doc._id, seq: doc.seq, action: doc.action, aggregate: doc.aggregate, at: doc.at };
}
