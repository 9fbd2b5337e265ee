import { describe, expect, it } from 'vitest';
import { auditLogCollection, pendingAuditHook, verifyAuditLog } from '../../core/audit-log/index.ts';
import type { DomainContext } from '../../core/domain/index.ts';
import { milestonesCollection, reportMilestoneDelay } from '../../core/milestones/index.ts';
import { getPerson } from '../../core/people/index.ts';
import { applyProbeReply, createProbe, probesCollection } from '../../core/probes/index.ts';
import type { TenantStore } from '../../core/store/index.ts';
import { OUTBOX_COLLECTIONS } from '../../queues/index.ts';
import { crashingAudit } from './crashing-audit.ts';
import { expectStatus, milestoneWorld, type Problem } from './milestone-fixtures.ts';

interface HistoryEntry {
  id: string;
  action: string;
  actor: { kind: string; id: string; channel?: string };
  changes: { path: string; from?: unknown; to?: unknown }[];
  data?: Record<string, unknown>;
}

/** A milestone owned by a person who has just been sent a status probe. */
async function probedMilestone() {
  const w = await milestoneWorld();
  const p = await w.project();
  const owner = await expectStatus<{ id: string }>(w.call('POST', '/v1/people', { body: { name: 'Asha Rao', phone: '+91 98765 43210', channels: ['sms'] } }), 201);
  const m = await w.milestone(p.id, { title: 'Slab casting', dueDate: '2026-03-20', owners: [{ kind: 'individual', ref: owner.id, role: 'primary' }] });
  const db = w.services.store.forTenant(w.tenantId);
  const milestone = (await db.collection(milestonesCollection).findById(m.id))!;
  const person = (await getPerson(db, owner.id))!;
  const sentAt = new Date('2026-03-03T05:30:00Z');
  const { probe } = await createProbe(db, { target: { milestone, person }, trigger: 'manual', slotKey: `manual:${m.id}`, at: sentAt });
  const replyCtx = (store: TenantStore): DomainContext => ({ db: store, now: () => new Date(), timeZone: 'Asia/Kolkata', actor: { kind: 'reply', id: owner.id, channel: 'sms' } });
  const reply = { providerMessageId: 'SM0001', channel: 'sms' as const, from: '+919876543210', text: '2 labour shortage, 3 days more', receivedAt: new Date(sentAt.getTime() + 3_600_000), matchedBy: 'recency' as const };
  return { w, db, m, owner, probe, reply, replyCtx };
}

describe('delays reported on a milestone', () => {
  it('records a delay read from a probe reply in the milestone history, with who reported it and through which channel', async () => {
    const { w, db, m, owner, probe, reply, replyCtx } = await probedMilestone();
    const applied = await applyProbeReply(replyCtx(db), { probe, reply });
    expect(applied.outcome).toMatchObject({ kind: 'delayed', delay: { category: 'labour' } });
    expect(applied.outcome.needsReview).toBe(false);

    const { items } = await expectStatus<{ items: HistoryEntry[] }>(w.call('GET', `/v1/milestones/${m.id}/history`), 200);
    expect(items.map((e) => e.action)).toEqual(['milestone.created', 'milestone.delay_reported']);
    const entry = items[1]!;
    expect(entry.actor).toEqual({ kind: 'reply', id: owner.id, channel: 'sms' });
    expect(entry.data).toEqual({ probeId: probe._id });
    const delay = entry.changes.find((c) => c.path === 'delay')!;
    expect(delay.from).toBeUndefined();
    expect(delay.to).toMatchObject({ category: 'labour', text: expect.stringContaining('labour shortage'), newDueDate: '2026-03-23', probeId: probe._id, reportedBy: owner.id });

    // A proper write: the version moves, the event goes out with it, and the chain holds.
    const stored = (await db.collection(milestonesCollection).findById(m.id))!;
    expect(stored.revision).toBe(2);
    expect(stored.delay).toMatchObject({ category: 'labour', newDueDate: '2026-03-23' });
    expect(stored.outbox.map((e) => e.type)).toContain('milestone.delay_reported');
    expect(stored.auditOutbox).toEqual([]);
    expect(await expectStatus<{ ok: boolean }>(w.call('GET', '/v1/audit/verify'), 200)).toMatchObject({ ok: true });

    // The same provider message again changes nothing and records nothing.
    const again = await applyProbeReply(replyCtx(db), { probe: (await db.collection(probesCollection).findById(probe._id))!, reply });
    expect(again.applied).toBe(false);
    expect(await db.collection(auditLogCollection).count({ aggregateId: m.id })).toBe(2);
  });

  it('keeps the delay entry when the process stops before linking it, and links it once from the relayed event', async () => {
    const { w, db, m, probe, reply, replyCtx } = await probedMilestone();
    const crash = crashingAudit(db);
    crash.state.down = true;
    await applyProbeReply(replyCtx(crash.db), { probe, reply });
    crash.state.down = false;
    const stored = (await db.collection(milestonesCollection).findById(m.id))!;
    expect(stored.delay).toMatchObject({ category: 'labour' });
    expect(stored.auditOutbox?.map((e) => e.action)).toEqual(['milestone.delay_reported']);
    const hook = pendingAuditHook(w.services.store, OUTBOX_COLLECTIONS);
    const event = stored.outbox.find((e) => e.type === 'milestone.delay_reported')!;
    await Promise.all([hook(event), hook(event)]);
    const { items } = await expectStatus<{ items: HistoryEntry[] }>(w.call('GET', `/v1/milestones/${m.id}/history`), 200);
    expect(items.map((e) => e.action)).toEqual(['milestone.created', 'milestone.delay_reported']);
    expect(items[1]!.id).toBe(stored.auditOutbox![0]!.id);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true });
  });

  it('refuses a delay it cannot read, and one on a milestone that does not exist', async () => {
    const { db, m, owner } = await probedMilestone();
    const ctx: DomainContext = { db, now: () => new Date(), actor: { kind: 'reply', id: owner.id, channel: 'sms' } };
    const bad = await reportMilestoneDelay(ctx, m.id, { category: '', text: 'x', newDueDate: '23/03/2026' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect((bad.error as unknown as Problem & { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['category']);
    const badDate = await reportMilestoneDelay(ctx, m.id, { category: 'labour', text: 'x', newDueDate: '2026-02-30' });
    expect(badDate.ok).toBe(false);
    if (!badDate.ok) expect(badDate.error).toMatchObject({ code: 'invalid', issues: [{ path: 'newDueDate', code: 'invalid_date' }] });
    const missing = await reportMilestoneDelay(ctx, 'ms_nope', { category: 'labour', text: 'x' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await db.collection(auditLogCollection).count({ aggregateId: m.id })).toBe(1);
  });
});
