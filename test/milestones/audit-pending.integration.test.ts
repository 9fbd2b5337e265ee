import { describe, expect, it } from 'vitest';
import { auditLogCollection, pendingAuditHook, settlePendingAudit, verifyAuditLog } from '../../core/audit-log/index.ts';
import type { DomainContext, DomainEvent } from '../../core/domain/index.ts';
import {
  createMilestone,
  deleteMilestone,
  duplicateMilestone,
  MILESTONE_AUDIT_COLLECTIONS,
  milestonesCollection,
  transitionMilestone,
  updateMilestone,
  type MilestoneDoc,
} from '../../core/milestones/index.ts';
import { crashingAudit } from './crashing-audit.ts';
import { milestoneWorld } from './milestone-fixtures.ts';

// A change and its audit entry are written in one update; linking the entry into the chain comes
// after. These tests stop the process between the two (the link fails) and show the entry still
// lands, exactly once, with the chain intact.

async function world() {
  const w = await milestoneWorld();
  const p = await w.project();
  const db = w.services.store.forTenant(w.tenantId);
  const crash = crashingAudit(db);
  const ctx: DomainContext = { db: crash.db, now: () => new Date(), actor: { kind: 'user', id: 'key_test', channel: 'api', role: 'admin' } };
  const hook = pendingAuditHook(w.services.store, MILESTONE_AUDIT_COLLECTIONS);
  const entriesFor = (id: string) => db.collection(auditLogCollection).find({ aggregateId: id }, { sort: { seq: 1 } });
  const stored = async (id: string) => (await db.collection(milestonesCollection).findById(id))!;
  return { w, p, db, crash, ctx, hook, entriesFor, stored };
}

/** The domain events a document still holds, as the outbox worker would hand them to hooks. */
const eventsOf = (doc: MilestoneDoc): DomainEvent[] => doc.outbox;

describe('audit entries written with the change', () => {
  it('survive a crash between an update and its audit entry, and land exactly once', async () => {
    const { p, db, crash, ctx, hook, entriesFor, stored } = await world();
    const created = await createMilestone(ctx, { projectId: p.id, kind: 'milestone', title: 'Plinth' });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const id = created.value._id;
    expect((await entriesFor(id)).map((e) => e.action)).toEqual(['milestone.created']);
    expect((await stored(id)).auditOutbox).toEqual([]);

    crash.state.down = true;
    const updated = await updateMilestone(ctx, id, { title: 'Plinth beam', percentComplete: 40 });
    crash.state.down = false;
    // The change is stored and answered; its entry waits on the document.
    expect(updated.ok).toBe(true);
    expect(crash.state.failures).toBe(1);
    const doc = await stored(id);
    expect(doc.title).toBe('Plinth beam');
    expect(doc.auditOutbox?.map((e) => e.action)).toEqual(['milestone.updated']);
    expect((await entriesFor(id)).map((e) => e.action)).toEqual(['milestone.created']);

    // The relayed event reaches the hook, more than once and concurrently with another settler.
    const event = eventsOf(doc).find((e) => e.type === 'milestone.updated')!;
    await Promise.all([hook(event), hook(event), settlePendingAudit(db, milestonesCollection, [doc])]);
    await hook(event);

    const entries = await entriesFor(id);
    expect(entries.map((e) => e.action)).toEqual(['milestone.created', 'milestone.updated']);
    expect(entries[1]!._id).toBe(doc.auditOutbox![0]!.id);
    expect(entries[1]!.changes.filter((c) => ['title', 'percentComplete'].includes(c.path))).toEqual([
      { path: 'percentComplete', from: 0, to: 40 },
      { path: 'title', from: 'Plinth', to: 'Plinth beam' },
    ]);
    expect(entries[1]!.actor).toEqual({ kind: 'user', id: 'key_test', channel: 'api', role: 'admin' });
    expect((await stored(id)).auditOutbox).toEqual([]);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true, count: 2 + 1 });
  });

  it('keep the order of entries a crash left behind when the next change links them', async () => {
    const { p, db, crash, ctx, entriesFor, stored } = await world();
    const created = await createMilestone(ctx, { projectId: p.id, kind: 'milestone', title: 'Slab' });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const id = created.value._id;
    crash.state.down = true;
    expect((await transitionMilestone(ctx, id, { to: 'in_progress', reason: 'crew on site' })).ok).toBe(true);
    expect((await updateMilestone(ctx, id, { percentComplete: 20 })).ok).toBe(true);
    crash.state.down = false;
    expect((await stored(id)).auditOutbox).toHaveLength(2);
    // The next write links everything pending on the document, oldest first, then its own entry.
    expect((await updateMilestone(ctx, id, { percentComplete: 50 })).ok).toBe(true);
    const entries = await entriesFor(id);
    expect(entries.map((e) => e.action)).toEqual(['milestone.created', 'milestone.transitioned', 'milestone.updated', 'milestone.updated']);
    expect(entries[1]!.data).toEqual({ from: 'planned', to: 'in_progress', reason: 'crew on site' });
    expect(entries.slice(2).map((e) => e.changes.find((c) => c.path === 'percentComplete')?.to)).toEqual([20, 50]);
    expect((await stored(id)).auditOutbox).toEqual([]);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true });
  });

  it('survive a crash after a creation, a batch insert and a deletion', async () => {
    const { p, db, crash, ctx, hook, entriesFor, stored } = await world();
    crash.state.down = true;
    const created = await createMilestone(ctx, { projectId: p.id, kind: 'phase', title: 'Structure' });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const phase = created.value._id;
    const child = await createMilestone(ctx, { projectId: p.id, parentId: phase, kind: 'milestone', title: 'Columns' });
    if (!child.ok) throw new Error(JSON.stringify(child.error));
    const copied = await duplicateMilestone(ctx, phase, { withChildren: true });
    if (!copied.ok) throw new Error(JSON.stringify(copied.error));
    expect(copied.value.created).toBe(2);
    const removed = await deleteMilestone(ctx, child.value._id);
    expect(removed.ok).toBe(true);
    crash.state.down = false;
    expect(await db.collection(auditLogCollection).count({ action: { $regex: /^milestone\./ } })).toBe(0);

    const all = await db.collection(milestonesCollection).find({ projectId: p.id }, { sort: { _id: 1 } });
    expect(all).toHaveLength(4);
    for (const doc of all) for (const event of doc.outbox) await hook(event);
    for (const doc of all) for (const event of doc.outbox) await hook(event);

    expect((await entriesFor(phase)).map((e) => e.action)).toEqual(['milestone.created']);
    expect((await entriesFor(child.value._id)).map((e) => e.action)).toEqual(['milestone.created', 'milestone.deleted']);
    const copies = all.filter((d) => d._id !== phase && d._id !== child.value._id);
    for (const copy of copies) {
      const entries = await entriesFor(copy._id);
      expect(entries.map((e) => e.action)).toEqual(['milestone.created']);
      expect(entries[0]!.data).toMatchObject({ createdBy: 'duplicate', duplicateOf: phase });
      expect((await stored(copy._id)).auditOutbox).toEqual([]);
    }
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true, count: 1 + 5 });
  });

  it('clear a batch from every document in one write once linked, and never show pending entries to callers', async () => {
    const { p, db, ctx, entriesFor, stored } = await world();
    const created = await createMilestone(ctx, { projectId: p.id, kind: 'phase', title: 'Finishes' });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    expect(created.value).not.toHaveProperty('auditOutbox');
    for (const title of ['Tiles', 'Paint', 'Doors']) {
      const c = await createMilestone(ctx, { projectId: p.id, parentId: created.value._id, kind: 'milestone', title });
      expect(c.ok).toBe(true);
    }
    const copied = await duplicateMilestone(ctx, created.value._id, { withChildren: true });
    if (!copied.ok) throw new Error(JSON.stringify(copied.error));
    expect(copied.value.root).not.toHaveProperty('auditOutbox');
    const docs = await db.collection(milestonesCollection).find({ projectId: p.id });
    expect(docs).toHaveLength(8);
    for (const d of docs) {
      expect((await stored(d._id)).auditOutbox).toEqual([]);
      expect((await entriesFor(d._id)).map((e) => e.action)).toEqual(['milestone.created']);
    }
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true, count: 1 + 8 });
  });
});
