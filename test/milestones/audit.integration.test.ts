import { describe, expect, it } from 'vitest';
import { appendAudit, auditHeadsCollection, auditLogCollection, verifyAuditLog } from '../../core/audit-log/index.ts';
import { expectStatus, milestoneWorld, type Milestone } from './milestone-fixtures.ts';

interface HistoryEntry {
  id: string;
  seq: number;
  action: string;
  actor: { kind: string; id: string; channel?: string };
  changes: { path: string; from?: unknown; to?: unknown }[];
  prevHash: string;
  hash: string;
}

interface Verification {
  ok: boolean;
  count?: number;
  code?: string;
  entry?: { id: string; seq: number };
}

describe('audit log', () => {
  it('records who, when, through which channel and the field diff of every change', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const m = await w.milestone(p.id, { title: 'Plinth', percentComplete: 10 });
    await expectStatus(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { title: 'Plinth beam', percentComplete: 30 } }), 200);
    await expectStatus(w.move(m.id, 'in_progress'), 200);
    const { items } = await expectStatus<{ items: HistoryEntry[] }>(w.call('GET', `/v1/milestones/${m.id}/history`), 200);
    expect(items.map((e) => e.action)).toEqual(['milestone.created', 'milestone.updated', 'milestone.transitioned']);
    const me = await expectStatus<{ keyId: string }>(w.call('GET', '/v1/me'), 200);
    expect(items[1]?.actor).toEqual({ kind: 'user', id: me.keyId, channel: 'api', role: 'admin' });
    expect(items[1]?.changes.filter((c) => ['title', 'percentComplete'].includes(c.path))).toEqual([
      { path: 'percentComplete', from: 10, to: 30 },
      { path: 'title', from: 'Plinth', to: 'Plinth beam' },
    ]);
    expect(items[2]?.changes.find((c) => c.path === 'status')).toEqual({ path: 'status', from: 'planned', to: 'in_progress' });
    // Linked: each entry's prevHash is the hash of the tenant's entry before it.
    expect(items[1]!.seq).toBeGreaterThan(items[0]!.seq);
    const page = await expectStatus<{ items: HistoryEntry[]; nextCursor: string }>(w.call('GET', `/v1/milestones/${m.id}/history?limit=2`), 200);
    const rest = await expectStatus<{ items: HistoryEntry[]; nextCursor: string | null }>(w.call('GET', `/v1/milestones/${m.id}/history?limit=2&cursor=${page.nextCursor}`), 200);
    expect([...page.items, ...rest.items].map((e) => e.id)).toEqual(items.map((e) => e.id));
    expect(rest.nextCursor).toBeNull();
  });

  it('verifies the chain and names the first entry that was tampered with', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const m = await w.milestone(p.id, { title: 'Handover', payment: { amount: 5_00_000_00 } });
    await expectStatus(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { payment: { amount: 4_00_000_00 } } }), 200);
    await expectStatus(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { title: 'Final handover' } }), 200);
    const ok = await expectStatus<Verification>(w.call('GET', '/v1/audit/verify'), 200);
    expect(ok).toMatchObject({ ok: true, count: 4 });

    const { items } = await expectStatus<{ items: HistoryEntry[] }>(w.call('GET', `/v1/milestones/${m.id}/history`), 200);
    const target = items[1]!;
    // Someone with database access lowers the recorded amount change.
    const raw = w.services.store.maintenance(auditLogCollection);
    await raw.updateOne({ _id: target.id }, { $set: { changes: [{ path: 'payment.amount', from: 5_00_000_00, to: 4_50_000_00 }] } });
    const broken = await expectStatus<Verification>(w.call('GET', '/v1/audit/verify'), 200);
    expect(broken).toMatchObject({ ok: false, code: 'hash_mismatch', entry: { id: target.id, seq: target.seq } });

    // Re-hashing the edited entry does not help: the next entry no longer links to it.
    const { computeEntryHash } = await import('../../core/audit/index.ts');
    const { hashableEntry } = await import('../../core/audit-log/hashable-entry.ts');
    const stored = (await raw.findById(target.id))!;
    await raw.updateOne({ _id: target.id }, { $set: { hash: computeEntryHash(hashableEntry(stored)) } });
    const relinked = await expectStatus<Verification>(w.call('GET', '/v1/audit/verify'), 200);
    expect(relinked).toMatchObject({ ok: false, code: 'prev_link_mismatch', entry: { id: items[2]!.id } });
  });

  it('detects removed entries, in the middle and at the end', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const m = await w.milestone(p.id);
    for (const title of ['b', 'c', 'd']) await expectStatus(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { title } }), 200);
    const raw = w.services.store.maintenance(auditLogCollection);
    const all = await raw.find({ tenantId: w.tenantId }, { sort: { seq: 1 } });
    await raw.deleteOne({ _id: all[all.length - 1]!._id });
    expect(await expectStatus<Verification>(w.call('GET', '/v1/audit/verify'), 200)).toMatchObject({ ok: false, code: 'head_mismatch' });
    await raw.deleteOne({ _id: all[2]!._id });
    expect(await expectStatus<Verification>(w.call('GET', '/v1/audit/verify'), 200)).toMatchObject({ ok: false, code: 'sequence_gap', entry: { seq: all[3]!.seq } });
  });

  it('never forks the chain under concurrent writers, and keeps tenants apart', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const ms: Milestone[] = [];
    for (let i = 0; i < 5; i += 1) ms.push(await w.milestone(p.id, { title: `m${i}` }));
    const writes = Array.from({ length: 60 }, (_, i) => w.call('PATCH', `/v1/milestones/${ms[i % 5]!.id}`, { body: { title: `t${i}`, percentComplete: i } }));
    const answers = await Promise.all(writes.map(async (r) => { const res = await r; return `${res.status} ${res.status === 200 ? '' : await res.text()}`; }));
    expect(answers.filter((a) => !a.startsWith('200'))).toEqual([]);
    const db = w.services.store.forTenant(w.tenantId);
    // Direct appends race too.
    const actor = { kind: 'system' as const, id: 'test' };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        appendAudit(db, [
          { at: new Date(), actor, action: 'test.append', aggregate: { type: 'project', id: p.id }, changes: [{ path: 'n', from: i, to: i + 1 }] },
          { at: new Date(), actor, action: 'test.append', aggregate: { type: 'project', id: p.id }, changes: [] },
        ]),
      ),
    );
    const result = await verifyAuditLog(db);
    expect(result).toMatchObject({ ok: true, count: 1 + 5 + 60 + 40 });
    const entries = await db.collection(auditLogCollection).find({}, { sort: { seq: 1 } });
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    const head = await db.collection(auditHeadsCollection).findOne({});
    expect(head?.seq).toBe(entries.length);
    const other = await w.tenant('other');
    expect(await verifyAuditLog(w.services.store.forTenant(other.id))).toMatchObject({ ok: true, count: 0 });
  });
});
