import { describe, expect, it } from 'vitest';
import { auditHeadsCollection, auditLogCollection, verifyAuditLog } from '../../core/audit-log/index.ts';
import type { DomainContext } from '../../core/domain/index.ts';
import { createMilestone, milestonesCollection, updateMilestone } from '../../core/milestones/index.ts';
import { milestoneWorld } from './milestone-fixtures.ts';

// Concurrent milestone writes of one tenant link their audit entries together: each entry lands
// once, in a chain that verifies, no document keeps a pending entry, and the chain's head moves
// fewer times than there were writes.

describe('audit entries of concurrent milestone writes', () => {
  it('are linked together: each once, the chain intact, nothing left pending, fewer head moves than writes', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const db = w.services.store.forTenant(w.tenantId);
    const ctx: DomainContext = { db, now: () => new Date(), actor: { kind: 'user', id: 'key_test', channel: 'api', role: 'admin' } };
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const made = await createMilestone(ctx, { projectId: p.id, kind: 'milestone', title: `Slab ${i}` });
      if (!made.ok) throw new Error(JSON.stringify(made.error));
      ids.push(made.value._id);
    }
    const heads = db.collection(auditHeadsCollection);
    const headBefore = (await heads.findOne({}))!;

    const results = await Promise.all(ids.map((id, i) => updateMilestone(ctx, id, { title: `Slab ${i}, cast`, percentComplete: 50 })));
    expect(results.every((r) => r.ok)).toBe(true);

    for (const id of ids) {
      const entries = await db.collection(auditLogCollection).find({ aggregateId: id }, { sort: { seq: 1 } });
      expect(entries.map((e) => e.action)).toEqual(['milestone.created', 'milestone.updated']);
      expect((await db.collection(milestonesCollection).findById(id))!.auditOutbox).toEqual([]);
    }
    const verified = await verifyAuditLog(db);
    expect(verified).toMatchObject({ ok: true });
    const headAfter = (await heads.findOne({}))!;
    expect(headAfter.seq - headBefore.seq).toBe(ids.length);
    // One head move per linking: the writes that arrived while one linked were linked together.
    expect(headAfter.version - headBefore.version).toBeLessThan(ids.length);
  });
});
