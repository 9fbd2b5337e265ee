import { describe, expect, it } from 'vitest';
import { auditLogCollection, verifyAuditLog, type PendingAuditEntry } from '../../core/audit-log/index.ts';
import type { DomainContext } from '../../core/domain/index.ts';
import { EVIDENCE_LEASE_MS, evidenceCollection, listEvidence, milestonesCollection, transitionMilestone, verificationsCollection } from '../../core/milestones/index.ts';
import type { CollectionDef } from '../../core/store/index.ts';
import { addMilestoneEvidence, decideVerification, requestVerification } from '../../core/verification/index.ts';
import { crashingStore } from './crashing-store.ts';
import { EVIDENCE, evidenceWorld, type Holder } from './evidence-world.ts';
import { expectStatus } from './milestone-fixtures.ts';

// Evidence is stored before the write that names it (a milestone or verification write, with
// its audit entry) and counts only once that write is stored. These tests stop the process
// before each write a request makes, in turn, and show: nothing ever names evidence that is not
// stored; once the outbox relay has caught up, the request left no trace or all of it; and
// asking again stores the evidence exactly once.

async function world() {
  const { w, db, plain, relay, milestone, later } = await evidenceWorld();
  const crash = crashingStore(db);
  const ctx: DomainContext = { ...plain, db: crash.db };
  return { w, db, crash, plain, ctx, relay, milestone, later };
}

type World = Awaited<ReturnType<typeof world>>;

/** One request that comes with evidence, made afresh for every stop. */
interface Request {
  /** The audit action of the write that names the evidence. */
  action: string;
  /** A new milestone (and whatever the request needs) and the document written with the entry. */
  prepare: (t: World) => Promise<{ milestoneId: string; holder: { def: CollectionDef; id: string }; run: (ctx: DomainContext) => Promise<{ ok: boolean }> }>;
}

interface Seen {
  holder: Holder;
  /** The request's entries, linked into the chain or still pending on the document. */
  linked: { _id: string; data?: Record<string, unknown> }[];
  pending: PendingAuditEntry[];
  listed: string[];
  stored: string[];
}

async function look(t: World, action: string, p: Awaited<ReturnType<Request['prepare']>>): Promise<Seen> {
  const holder = (await t.db.collection(p.holder.def as CollectionDef<Holder>).findById(p.holder.id))!;
  const linked = await t.db.collection(auditLogCollection).find({ aggregateId: p.holder.id, action }, { sort: { seq: 1 } });
  return {
    holder,
    linked: linked.map((e) => ({ _id: e._id, ...(e.data ? { data: e.data } : {}) })),
    pending: (holder.auditOutbox ?? []).filter((e) => e.action === action),
    listed: (await listEvidence({ db: t.db }, p.milestoneId)).map((e) => e._id),
    stored: (await t.db.collection(evidenceCollection).find({ milestoneId: p.milestoneId })).map((e) => e._id),
  };
}

const named = (seen: Seen) => [...seen.linked, ...seen.pending].flatMap((e) => (e.data?.evidence as string[] | undefined) ?? []);

/** Runs `request` once per write it makes, stopping the process before that write; returns what each stop left. */
async function stopAtEveryWrite(t: World, request: Request): Promise<('nothing' | 'all')[]> {
  // A run without a stop counts the writes: each is a point the process can stop before.
  const counted = await request.prepare(t);
  t.crash.state.writes = [];
  expect((await counted.run(t.ctx)).ok).toBe(true);
  const writes = t.crash.state.writes;
  expect(writes.some((w) => w.startsWith('evidence.'))).toBe(true);
  expect(writes.some((w) => w.startsWith(`${counted.holder.def.name}.`))).toBe(true);

  const outcomes: ('nothing' | 'all')[] = [];
  for (let stop = 0; stop < writes.length; stop += 1) {
    const p = await request.prepare(t);
    const before = await look(t, request.action, p);
    expect(before.linked).toEqual([]);
    t.crash.state.writes = [];
    t.crash.state.stopAt = stop;
    await p.run(t.ctx).catch(() => undefined);
    t.crash.state.stopAt = Number.POSITIVE_INFINITY;
    const where = `stopped before ${writes[stop]} (write ${stop})`;
    expect(t.crash.state.writes.length, where).toBeGreaterThan(stop);

    // As the process left it: whatever names evidence names records that are stored, and
    // nothing is listed that no write names.
    const left = await look(t, request.action, p);
    for (const id of named(left)) expect(left.stored, where).toContain(id);
    for (const id of left.listed) expect(named(left), where).toContain(id);

    // Restarted, with the relay caught up: no trace of the request, or all of it.
    await t.relay();
    const settled = await look(t, request.action, p);
    expect(settled.pending, where).toEqual([]);
    let outcome: 'nothing' | 'all';
    if (settled.linked.length === 0) {
      outcome = 'nothing';
      expect(settled.listed, where).toEqual([]);
      expect(settled.holder, where).toEqual(before.holder);
    } else {
      outcome = 'all';
      expect(settled.linked, where).toHaveLength(1);
      expect(settled.listed, where).toHaveLength(EVIDENCE.length);
      expect(settled.linked[0]!.data?.evidence, where).toEqual(settled.listed);
      expect(settled.holder.revision ?? 0, where).toBeGreaterThanOrEqual(before.holder.revision ?? 0);
    }
    outcomes.push(outcome);

    // Asked again once the stopped request's records are past their lease: the evidence is
    // stored exactly once, named by exactly one entry.
    t.later(EVIDENCE_LEASE_MS + 1000);
    const retried = await p.run(t.ctx);
    if (outcome === 'nothing') expect(retried.ok, where).toBe(true);
    const after = await look(t, request.action, p);
    expect(after.listed, where).toHaveLength(EVIDENCE.length);
    expect(after.stored, where).toHaveLength(EVIDENCE.length);
    expect(after.linked, where).toHaveLength(1);
    expect(after.pending, where).toEqual([]);
    expect(after.linked[0]!.data?.evidence, where).toEqual(after.listed);
    const kinds = (await listEvidence({ db: t.db }, p.milestoneId)).map((e) => e.kind);
    expect(kinds, where).toEqual(EVIDENCE.map((e) => e.kind));
  }
  return outcomes;
}

describe('evidence through a stop at any point of the request', () => {
  it('adding evidence to a milestone leaves no trace or all of it, and a repeat stores it once', async () => {
    const t = await world();
    const outcomes = await stopAtEveryWrite(t, {
      action: 'milestone.evidence_added',
      prepare: async (t) => {
        const id = await t.milestone('Slab');
        return { milestoneId: id, holder: { def: milestonesCollection, id }, run: (ctx) => addMilestoneEvidence(ctx, id, EVIDENCE) };
      },
    });
    // Stopping before the evidence or the milestone write leaves nothing; after, everything.
    expect(outcomes.slice(0, 2)).toEqual(['nothing', 'nothing']);
    expect(outcomes.slice(2).every((o) => o === 'all')).toBe(true);
    expect(await verifyAuditLog(t.db)).toMatchObject({ ok: true });
  });

  it('a transition with evidence leaves no trace or all of it, and a retry stores the evidence once', async () => {
    const t = await world();
    const outcomes = await stopAtEveryWrite(t, {
      action: 'milestone.transitioned',
      prepare: async (t) => {
        const id = await t.milestone('Columns');
        return { milestoneId: id, holder: { def: milestonesCollection, id }, run: (ctx) => transitionMilestone(ctx, id, { to: 'in_progress', reason: 'crew on site', evidence: EVIDENCE }) };
      },
    });
    expect(outcomes).toContain('nothing');
    expect(outcomes).toContain('all');
    expect(await verifyAuditLog(t.db)).toMatchObject({ ok: true });
  });

  it('a decision with evidence leaves no trace or all of it, and a retry stores the evidence once', async () => {
    const t = await world();
    const outcomes = await stopAtEveryWrite(t, {
      action: 'verification.decided',
      prepare: async (t) => {
        const id = await t.milestone('Roof');
        const requested = await requestVerification(t.plain, id, { approvers: [{ role: 'admin' }] });
        if (!requested.ok) throw new Error(JSON.stringify(requested.error));
        const vid = requested.value._id;
        return {
          milestoneId: id,
          holder: { def: verificationsCollection, id: vid },
          run: (ctx) => decideVerification(ctx, id, vid, { decision: 'approve', comment: 'as drawn', evidence: EVIDENCE }),
        };
      },
    });
    expect(outcomes).toContain('nothing');
    expect(outcomes).toContain('all');
  });

  it('never shows records whose write did not come, through the API either, and keeps them off a later request', async () => {
    const t = await world();
    const id = await t.milestone('Plinth');
    // Stopped right after the records were stored, before the milestone write.
    t.crash.state.writes = [];
    t.crash.state.stopAt = 1;
    await expect(addMilestoneEvidence(t.ctx, id, EVIDENCE)).rejects.toThrow('the process stopped here');
    t.crash.state.stopAt = Number.POSITIVE_INFINITY;
    expect(t.crash.state.writes.slice(0, 2)).toEqual(['evidence.insertMany', 'milestones.updateOne']);
    expect(await t.db.collection(evidenceCollection).count({ milestoneId: id })).toBe(2);
    expect(await listEvidence({ db: t.db }, id)).toEqual([]);
    const listed = await expectStatus<{ items: unknown[] }>(t.w.call('GET', `/v1/milestones/${id}/evidence`), 200);
    expect(listed.items).toEqual([]);
    const history = await expectStatus<{ items: { action: string }[] }>(t.w.call('GET', `/v1/milestones/${id}/history`), 200);
    expect(history.items.map((e) => e.action)).toEqual(['milestone.created']);

    // Other evidence, or the same evidence by someone else, is its own record.
    const other = await addMilestoneEvidence(t.plain, id, [{ kind: 'photo', link: 'https://files.example.in/other.jpg' }]);
    const someoneElse = await addMilestoneEvidence({ ...t.plain, actor: { kind: 'user', id: 'key_other', channel: 'api', role: 'manager' } }, id, [EVIDENCE[0]]);
    expect(other.ok && someoneElse.ok).toBe(true);
    const shown = await listEvidence({ db: t.db }, id);
    expect(shown.map((e) => `${e.by.id} ${e.link}`).sort()).toEqual(['key_other https://files.example.in/slab.jpg', 'key_test https://files.example.in/other.jpg']);
    expect(shown.some((e) => 'attaching' in e)).toBe(false);
    expect(await t.db.collection(evidenceCollection).count({ milestoneId: id })).toBe(4);

    // The same actor asking again once their lease ran out takes the waiting records over: four records, all shown.
    t.later(EVIDENCE_LEASE_MS + 1000);
    const again = await addMilestoneEvidence(t.plain, id, EVIDENCE);
    if (!again.ok) throw new Error(JSON.stringify(again.error));
    expect(await t.db.collection(evidenceCollection).count({ milestoneId: id })).toBe(4);
    const all = await listEvidence({ db: t.db }, id);
    expect(all).toHaveLength(4);
    const retried = all.filter((e) => e.by.id === 'key_test' && e.link !== 'https://files.example.in/other.jpg');
    expect(retried.map((e) => e._id).sort()).toEqual(again.value.map((e) => e._id).sort());
    expect(await t.db.collection(auditLogCollection).count({ aggregateId: id, action: 'milestone.evidence_added' })).toBe(3);
    expect(again.value.some((e) => 'attaching' in e)).toBe(false);
  });

  it('keeps evidence given again with a later transition as a record of its own', async () => {
    const t = await world();
    const id = await t.milestone('Facade');
    const photo = [EVIDENCE[0]];
    const ok = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }) => {
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return r.value;
    };
    ok(await transitionMilestone(t.plain, id, { to: 'in_progress', evidence: photo }));
    ok(await transitionMilestone(t.plain, id, { to: 'on_hold' }));
    ok(await transitionMilestone(t.plain, id, { to: 'in_progress', evidence: photo }));
    const listed = await listEvidence({ db: t.db }, id);
    expect(listed).toHaveLength(2);
    expect(new Set(listed.map((e) => e._id)).size).toBe(2);
    const entries = await t.db.collection(auditLogCollection).find({ aggregateId: id, action: 'milestone.transitioned' }, { sort: { seq: 1 } });
    expect(entries.map((e) => (e.data?.evidence as string[] | undefined) ?? [])).toEqual([[listed[0]!._id], [], [listed[1]!._id]]);
    // Adding the same photo on its own is a repeat of what this actor gave: nothing new is stored or audited.
    const repeat = ok(await addMilestoneEvidence(t.plain, id, photo));
    expect(await t.db.collection(auditLogCollection).count({ aggregateId: id, action: 'milestone.evidence_added' })).toBe(1);
    const again = ok(await addMilestoneEvidence(t.plain, id, photo));
    expect(again.map((e) => e._id)).toEqual(repeat.map((e) => e._id));
    expect(await t.db.collection(auditLogCollection).count({ aggregateId: id, action: 'milestone.evidence_added' })).toBe(1);
    expect(await listEvidence({ db: t.db }, id)).toHaveLength(3);
  });
});
