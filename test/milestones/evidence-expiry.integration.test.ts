import { afterEach, describe, expect, it, vi } from 'vitest';
import { auditLogCollection, settlePendingAudit } from '../../core/audit-log/index.ts';
import type { DomainContext } from '../../core/domain/index.ts';
import { EVIDENCE_LEASE_MS, EVIDENCE_ORPHAN_MAX_AGE_MS, evidenceCollection, listEvidence, milestonesCollection, type EvidenceDoc } from '../../core/milestones/index.ts';
import type { CollectionDef } from '../../core/store/index.ts';
import { addMilestoneEvidence } from '../../core/verification/index.ts';
import { crashingStore, holdingStore } from './crashing-store.ts';
import { EVIDENCE, evidenceWorld, type Holder } from './evidence-world.ts';

// Evidence is stored waiting for the write that names it. A record whose write is stored nowhere
// (the process stopped before it, or the write was refused) is deleted by a reader once it has
// waited longer than EVIDENCE_ORPHAN_MAX_AGE_MS; a record whose write is stored is never deleted,
// whether the request marked it attached or stopped first.

const HOUR = 60 * 60_000;

async function world() {
  const { w, db, plain, relay, milestone, later } = await evidenceWorld();
  const crash = crashingStore(db);
  const held = holdingStore(db);
  const col = db.collection(evidenceCollection);
  /** Runs `run` on a store that stops before its write number `stopAt`; returns the writes tried. */
  const stopped = async (stopAt: number, run: (ctx: DomainContext) => Promise<unknown>) => {
    crash.state.writes = [];
    crash.state.stopAt = stopAt;
    try {
      await run({ ...plain, db: crash.db }).catch(() => undefined);
    } finally {
      crash.state.stopAt = Number.POSITIVE_INFINITY;
    }
    return crash.state.writes;
  };
  /** A context `ms` ahead of the real clock (and of `plain`'s until `later` moves it). */
  const at = (ms: number, store = db): DomainContext => ({ ...plain, db: store, now: () => new Date(Date.now() + ms) });
  const stored = async (milestoneId: string) => ids(await col.find({ milestoneId }, { sort: { _id: 1 } }));
  return { w, db, plain, relay, milestone, later, col, crash, held, stopped, at, stored };
}

const ids = (docs: readonly EvidenceDoc[]) => docs.map((d) => d._id);
const photo = (name: string) => [{ kind: 'photo', link: `https://files.example.in/${name}.jpg` }];

function ok<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('evidence waiting for a write stored nowhere', () => {
  it('is deleted when its milestone is listed after the limit, while attached evidence stays', async () => {
    const t = await world();
    const id = await t.milestone('Slab');
    // Stopped before its milestone write: its records wait for a write that never comes.
    expect((await t.stopped(1, (ctx) => addMilestoneEvidence(ctx, id, EVIDENCE))).slice(0, 2)).toEqual(['evidence.insertMany', 'milestones.updateOne']);
    const orphans = await t.stored(id);
    expect(orphans).toHaveLength(EVIDENCE.length);
    const kept = ids(ok(await addMilestoneEvidence(t.plain, id, photo('kept'))));

    // Within the limit, listing leaves them stored (unseen); without a clock of its own the reader uses the real one.
    expect(ids(await listEvidence(t.at(EVIDENCE_ORPHAN_MAX_AGE_MS - HOUR), id))).toEqual(kept);
    expect(ids(await listEvidence({ db: t.db }, id))).toEqual(kept);
    expect(await t.stored(id)).toEqual([...orphans, ...kept].sort());

    // Past it, the listing deletes them; the evidence its write named stays.
    expect(ids(await listEvidence(t.at(EVIDENCE_ORPHAN_MAX_AGE_MS + HOUR), id))).toEqual(kept);
    expect(await t.stored(id)).toEqual(kept);
    expect(ids(await listEvidence({ db: t.db }, id))).toEqual(kept);
  });

  it('is deleted when the same evidence is given again after the limit, and stored afresh', async () => {
    const t = await world();
    const id = await t.milestone('Columns');
    await t.stopped(1, (ctx) => addMilestoneEvidence(ctx, id, EVIDENCE));
    const orphans = await t.stored(id);
    expect(orphans).toHaveLength(EVIDENCE.length);

    // Past the limit, the same actor gives the same evidence: the orphans go, new records are named.
    t.later(EVIDENCE_ORPHAN_MAX_AGE_MS + HOUR);
    const again = ids(ok(await addMilestoneEvidence(t.plain, id, EVIDENCE)));
    expect(again).toHaveLength(EVIDENCE.length);
    for (const orphan of orphans) expect(again).not.toContain(orphan);
    expect(await t.stored(id)).toEqual(again);
    const entries = await t.db.collection(auditLogCollection).find({ aggregateId: id, action: 'milestone.evidence_added' });
    expect(entries.map((e) => e.data?.evidence)).toEqual([again]);
    expect(ids(await listEvidence(t.plain, id))).toEqual(again);
  });
});

describe('evidence whose write was stored but never marked attached', () => {
  // The process stopped after the milestone write and before marking its records; the write's
  // entry is then linked by something that marks no evidence.
  const linkers: [string, (t: Awaited<ReturnType<typeof world>>, milestoneId: string) => Promise<void>][] = [
    ['the outbox relay (pendingAuditHook)', (t) => t.relay()],
    [
      'settlePendingAudit',
      async (t, milestoneId) => {
        const doc = (await t.db.collection(milestonesCollection as CollectionDef<Holder>).findById(milestoneId))!;
        await settlePendingAudit(t.db, milestonesCollection, [doc]);
      },
    ],
  ];

  it.each(linkers)('is kept past the limit once its entry is linked by %s, listed and given again', async (_name, link) => {
    const t = await world();
    // One milestone read by listing, one by giving the same evidence again.
    const listedId = await t.milestone('Beams');
    const givenId = await t.milestone('Roof');
    const late = async (milestoneId: string) => {
      const writes = await t.stopped(2, (ctx) => addMilestoneEvidence(ctx, milestoneId, photo('late')));
      expect(writes.slice(0, 3)).toEqual(['evidence.insertMany', 'milestones.updateOne', 'evidence.updateMany']);
      const [record] = await t.col.find({ milestoneId });
      expect(record!.attaching).toHaveLength(1);
      return record!._id;
    };
    const listedRecord = await late(listedId);
    const givenRecord = await late(givenId);

    await link(t, listedId);
    await link(t, givenId);
    for (const [milestoneId, record] of [
      [listedId, listedRecord],
      [givenId, givenRecord],
    ] as const) {
      const milestone = (await t.db.collection(milestonesCollection as CollectionDef<Holder>).findById(milestoneId))!;
      expect(milestone.auditOutbox ?? []).toEqual([]);
      const entries = await t.db.collection(auditLogCollection).find({ aggregateId: milestoneId, action: 'milestone.evidence_added' });
      expect(entries.map((e) => e.data?.evidence)).toEqual([[record]]);
      // Still waiting as the stopped request left it: nothing marked it.
      expect((await t.col.findById(record))!.attaching).toHaveLength(1);
    }

    // More than a day later, by every clock (the store's too), it is still the evidence its entry names.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + EVIDENCE_ORPHAN_MAX_AGE_MS + HOUR);
    const listed = await listEvidence(t.plain, listedId);
    expect(ids(listed)).toEqual([listedRecord]);
    expect(listed.some((e) => 'attaching' in e)).toBe(false);
    const given = ok(await addMilestoneEvidence(t.plain, givenId, photo('late')));
    expect(ids(given)).toEqual([givenRecord]);
    vi.useRealTimers();
    expect(await t.stored(listedId)).toEqual([listedRecord]);
    expect(await t.stored(givenId)).toEqual([givenRecord]);
    expect(await t.db.collection(auditLogCollection).count({ aggregateId: givenId, action: 'milestone.evidence_added' })).toBe(1);
  });

  it('is kept past the limit while its entry still waits on the milestone', async () => {
    const t = await world();
    const id = await t.milestone('Facade');
    await t.stopped(2, (ctx) => addMilestoneEvidence(ctx, id, photo('pending')));
    const [record] = await t.stored(id);
    const milestone = (await t.db.collection(milestonesCollection as CollectionDef<Holder>).findById(id))!;
    expect(milestone.auditOutbox!.map((e) => e.data?.evidence)).toEqual([[record]]);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + EVIDENCE_ORPHAN_MAX_AGE_MS + HOUR);
    expect(ids(await listEvidence(t.plain, id))).toEqual([record]);
    vi.useRealTimers();
    expect(await t.stored(id)).toEqual([record]);
  });
});

describe('evidence a request may still name', () => {
  it('is not deleted while its request runs, past the lease too, and stays once its write is stored', async () => {
    const t = await world();
    const id = await t.milestone('Plinth');
    // The request waits before its milestone write.
    const hold = t.held.hold('milestones.updateOne');
    const first = addMilestoneEvidence({ ...t.plain, db: t.held.db }, id, EVIDENCE);
    await hold.reached;
    const staged = await t.stored(id);
    expect(staged).toHaveLength(EVIDENCE.length);
    expect(EVIDENCE_ORPHAN_MAX_AGE_MS).toBeGreaterThan(EVIDENCE_LEASE_MS);
    for (const ahead of [0, EVIDENCE_LEASE_MS + HOUR, EVIDENCE_ORPHAN_MAX_AGE_MS - HOUR]) {
      expect(await listEvidence(t.at(ahead), id)).toEqual([]);
      expect(await t.stored(id)).toEqual(staged);
    }
    hold.release();
    const added = ids(ok(await first));
    expect(added).toEqual(staged);
    // Its write stored, it is evidence for good.
    expect(ids(await listEvidence(t.at(EVIDENCE_ORPHAN_MAX_AGE_MS + HOUR), id))).toEqual(staged);
    expect(await t.stored(id)).toEqual(staged);
  });

  it.each([
    ['named by the write of the request that took it over', Number.POSITIVE_INFINITY],
    ['waiting again for the request that took it over, stopped before its write', 1],
  ])('is not deleted when taken over between a reader finding it too old and deleting it: %s', async (_name, stopAt) => {
    const t = await world();
    const id = await t.milestone('Lintel');
    const lintel = photo('lintel');
    await t.stopped(1, (ctx) => addMilestoneEvidence(ctx, id, lintel));
    const orphans = await t.stored(id);
    expect(orphans).toHaveLength(1);

    // A reader past the limit finds the orphan, and waits before deleting it. Its clock is so far
    // ahead that the record's `at`, renewed by the takeover below, is still past the limit for it:
    // only the record's grown (or cleared) `attaching` keeps it.
    const hold = t.held.hold('evidence.deleteOne');
    const reading = listEvidence(t.at(EVIDENCE_ORPHAN_MAX_AGE_MS + EVIDENCE_LEASE_MS + 2 * HOUR, t.held.db), id);
    await hold.reached;
    // Meanwhile a repeat past the lease (within the limit by its clock) takes them over.
    const retry = t.at(EVIDENCE_LEASE_MS + HOUR);
    const writes = await t.stopped(stopAt, (ctx) => addMilestoneEvidence({ ...retry, db: ctx.db }, id, lintel));
    expect(writes.slice(0, 2)).toEqual(['evidence.updateOne', 'milestones.updateOne']);
    expect(writes).not.toContain('evidence.insertMany');
    hold.release();
    expect(await reading).toEqual([]);

    // Nothing was deleted: whatever names them names stored records.
    expect(await t.stored(id)).toEqual(orphans);
    const entries = await t.db.collection(auditLogCollection).find({ aggregateId: id, action: 'milestone.evidence_added' });
    if (stopAt === 1) {
      expect(entries).toEqual([]);
      for (const orphan of orphans) expect((await t.col.findById(orphan))!.attaching).toHaveLength(2);
    } else {
      expect(entries.map((e) => e.data?.evidence)).toEqual([orphans]);
      expect(ids(await listEvidence(t.at(EVIDENCE_ORPHAN_MAX_AGE_MS + HOUR), id))).toEqual(orphans);
    }
  });

  it('is not deleted when its own write is stored between a reader finding it too old and deleting it', async () => {
    const t = await world();
    const id = await t.milestone('Sill');
    // The request waits before its milestone write; a reader past the limit finds its record an orphan.
    const write = t.held.hold('milestones.updateOne');
    const first = addMilestoneEvidence({ ...t.plain, db: t.held.db }, id, photo('sill'));
    await write.reached;
    const staged = await t.stored(id);
    const remove = t.held.hold('evidence.deleteOne');
    const reading = listEvidence(t.at(EVIDENCE_ORPHAN_MAX_AGE_MS + HOUR, t.held.db), id);
    await remove.reached;
    // The write is stored and marks the record before the reader deletes.
    write.release();
    expect(ids(ok(await first))).toEqual(staged);
    remove.release();
    expect(await reading).toEqual([]);
    expect(await t.stored(id)).toEqual(staged);
    expect(ids(await listEvidence(t.plain, id))).toEqual(staged);
  });

  it('does not fail a reader that cannot delete', async () => {
    const t = await world();
    const id = await t.milestone('Stair');
    await t.stopped(1, (ctx) => addMilestoneEvidence(ctx, id, EVIDENCE));
    const orphans = await t.stored(id);
    const kept = ids(ok(await addMilestoneEvidence(t.plain, id, photo('kept'))));
    // Every write of this reader fails, as if the store refused it.
    t.crash.state.writes = [];
    t.crash.state.stopAt = 0;
    let listed: EvidenceDoc[];
    try {
      listed = await listEvidence(t.at(EVIDENCE_ORPHAN_MAX_AGE_MS + HOUR, t.crash.db), id);
    } finally {
      t.crash.state.stopAt = Number.POSITIVE_INFINITY;
    }
    expect(ids(listed)).toEqual(kept);
    expect(t.crash.state.writes).toEqual(orphans.map(() => 'evidence.deleteOne'));
    expect(await t.stored(id)).toEqual([...orphans, ...kept].sort());
  });
});
