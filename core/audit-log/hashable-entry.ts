import type { AuditEntryDoc } from './collections.ts';
import { HASHED_FIELDS } from './collections.ts';

/** The part of a stored entry its hash covers, in the shape `chainEntry` and `verifyChain` take. */
export function hashableEntry(doc: AuditEntryDoc): Record<string, unknown> & { id: string; prevHash: string; hash: string } {
  const body: Record<string, unknown> = { id: doc._id, tenantId: doc.tenantId };
  for (const field of HASHED_FIELDS) if (doc[field] !== undefined) body[field] = doc[field];
  return { ...body, id: doc._id, prevHash: doc.prevHash, hash: doc.hash };
}
