import { describe, expect, it } from 'vitest';
import { auditLogCollection, pendingAuditHook, verifyAuditLog } from '../../core/audit-log/index.ts';
import type { DomainContext } from '../../core/domain/index.ts';
import { applyTemplateToProject, MILESTONE_AUDIT_COLLECTIONS, milestonesCollection } from '../../core/milestones/index.ts';
import { crashingAudit } from './crashing-audit.ts';
import { milestoneWorld } from './milestone-fixtures.ts';

// Applying a template creates its milestones in one insert; their audit entries wait on the
// batch's first document in that same insert and are linked right after. These tests show one
// entry per created milestone, with its full field diff, whether linking happens at once or only
// after a stop, through the outbox hook.

async function world() {
  const w = await milestoneWorld();
  const p = await w.project({ contractValue: 7_77_77_777 });
  const db = w.services.store.forTenant(w.tenantId);
  const crash = crashingAudit(db, (docs) => docs.some((d) => (d as { action?: string }).action === 'milestone.created'));
  const ctx: DomainContext = { db: crash.db, now: () => new Date(), actor: { kind: 'user', id: 'key_test', channel: 'api', role: 'admin' } };
  const input = { templateId: 'construction-residential-building', startDate: '2025-04-01', scale: 2 };
  const milestones = () => db.collection(milestonesCollection).find({ projectId: p.id }, { sort: { _id: 1 } });
  const createdEntries = () => db.collection(auditLogCollection).find({ action: 'milestone.created' }, { sort: { seq: 1 } });
  const appliedEntries = () => db.collection(auditLogCollection).find({ action: 'project.template_applied' }, { sort: { seq: 1 } });
  return { w, p, db, crash, ctx, input, milestones, createdEntries, appliedEntries };
}

describe('audit entries of an applied template', () => {
  it('link one entry per created milestone, in creation order, with its whole creation diff', async () => {
    const { p, db, ctx, input, milestones, createdEntries, appliedEntries } = await world();
    const applied = await applyTemplateToProject(ctx, p.id, input);
    if (!applied.ok) throw new Error(JSON.stringify(applied.error));
    const docs = await milestones();
    expect(docs).toHaveLength(applied.value.created);
    expect(docs.every((d) => (d.auditOutbox ?? []).length === 0)).toBe(true);

    const entries = await createdEntries();
    expect(entries.map((e) => e.aggregate.id)).toEqual(docs.map((d) => d._id));
    const byId = new Map(docs.map((d) => [d._id, d]));
    for (const entry of entries) {
      const doc = byId.get(entry.aggregate.id)!;
      expect(entry.changes.find((c) => c.path === 'title')).toEqual({ path: 'title', to: doc.title });
      expect(entry.changes.find((c) => c.path === 'status')).toEqual({ path: 'status', to: doc.status });
      if (doc.payment?.amount !== undefined) expect(entry.changes.find((c) => c.path === 'payment')?.to).toMatchObject({ amount: doc.payment.amount });
      expect(entry.data).toMatchObject({ createdBy: 'template', templateId: input.templateId });
      expect(entry).not.toHaveProperty('created');
    }
    const paid = entries.flatMap((e) => e.changes.filter((c) => c.path === 'payment').map((c) => (c.to as { amount: number }).amount));
    expect(paid.reduce((a, b) => a + b, 0)).toBe(7_77_77_777);
    // The project's own entry follows its milestones' in the chain.
    const [projectEntry, ...more] = await appliedEntries();
    expect(more).toHaveLength(0);
    expect(projectEntry).toMatchObject({ aggregate: { type: 'project', id: p.id }, data: { templateId: input.templateId, created: applied.value.created, paymentTotal: 7_77_77_777 } });
    expect(projectEntry!.seq).toBeGreaterThan(entries.at(-1)!.seq);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true });
  });

  it('land exactly once after a stop between the insert and the linking, through the outbox hook', async () => {
    const { w, p, db, crash, ctx, input, milestones, createdEntries, appliedEntries } = await world();
    crash.state.down = true;
    const applied = await applyTemplateToProject(ctx, p.id, input);
    crash.state.down = false;
    // The milestones are stored; their entries wait, all on one document of the batch.
    expect(applied.ok).toBe(true);
    expect(await createdEntries()).toHaveLength(0);
    expect(await appliedEntries()).toHaveLength(0);
    const docs = await milestones();
    const holders = docs.filter((d) => (d.auditOutbox ?? []).length > 0);
    expect(holders).toHaveLength(1);
    const waiting = holders[0]!.auditOutbox!;
    expect(waiting.filter((e) => e.aggregate.type === 'milestone').map((e) => e.aggregate.id).sort()).toEqual(docs.map((d) => d._id).sort());
    expect(waiting.filter((e) => e.aggregate.type === 'project').map((e) => e.action)).toEqual(['project.template_applied']);

    const hook = pendingAuditHook(w.services.store, MILESTONE_AUDIT_COLLECTIONS);
    const events = docs.flatMap((d) => d.outbox).filter((e) => e.type === 'milestone.created');
    expect(events).toHaveLength(docs.length);
    // Every event comes through, one of them concurrently twice, and all of them again.
    await Promise.all([hook(events[0]!), hook(events[0]!), ...events.slice(1).map((e) => hook(e))]);
    for (const event of events) await hook(event);

    const entries = await createdEntries();
    expect(entries.map((e) => e.aggregate.id).sort()).toEqual(docs.map((d) => d._id).sort());
    for (const entry of entries) expect(entry.changes.find((c) => c.path === 'title')?.to).toBe(docs.find((d) => d._id === entry.aggregate.id)!.title);
    expect((await milestones()).every((d) => (d.auditOutbox ?? []).length === 0)).toBe(true);
    expect((await appliedEntries()).map((e) => e.aggregate.id)).toEqual([p.id]);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true });
  });
});
