import { describe, expect, it } from 'vitest';
import { auditLogCollection, verifyAuditLog } from '../../core/audit-log/index.ts';
import { EVIDENCE_LEASE_MS, evidenceCollection, listEvidence, milestonesCollection, verificationsCollection } from '../../core/milestones/index.ts';
import type { BaseDoc, Collection, CollectionDef, TenantStore } from '../../core/store/index.ts';
import { addMilestoneEvidence, requestVerification } from '../../core/verification/index.ts';
import { crashingStore, holdingStore } from './crashing-store.ts';
import { EVIDENCE, evidenceWorld, type Holder } from './evidence-world.ts';

// A write that names evidence is stored before its audit entry is linked into the chain: until
// the outbox relay (or the request itself) links it, the entry waits on the written document.
// These tests ask again for the same evidence inside that window and show that the evidence is
// stored once, named by one entry, and that the repeat gets the same records back.

async function world() {
  const { w, db, plain, relay, milestone, later } = await evidenceWorld();
  const held = holdingStore(db);
  const crash = crashingStore(db);
  /** The entries of `action` on `aggregateId`, linked or still pending on `holder`, with the evidence each names. */
  const entries = async (action: string, aggregateId: string, holder: { def: CollectionDef; id: string }) => {
    const linked = await db.collection(auditLogCollection).find({ aggregateId, action }, { sort: { seq: 1 } });
    const doc = await db.collection(holder.def as CollectionDef<Holder>).findById(holder.id);
    const pending = (doc?.auditOutbox ?? []).filter((e) => e.action === action && e.aggregate.id === aggregateId);
    return [...linked, ...pending].map((e) => ((e.data?.evidence as string[] | undefined) ?? []));
  };
  const events = async (type: string, holder: { def: CollectionDef; id: string }) =>
    ((await db.collection(holder.def as CollectionDef<Holder>).findById(holder.id))?.outbox ?? []).filter((e) => e.type === type).length;
  return { w, db, plain, held, crash, relay, milestone, later, entries, events };
}

const ids = (r: { ok: true; value: { _id: string }[] } | { ok: false; error: unknown }) => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value.map((e) => e._id);
};

describe('evidence asked for again while its write waits for its audit entry to be linked', () => {
  it('a repeat while the first request is held after its milestone write gets the same records, audited once', async () => {
    const t = await world();
    const id = await t.milestone('Slab');
    const holder = { def: milestonesCollection, id };
    // The first request stops right after its milestone write, before marking its records.
    const hold = t.held.hold('evidence.updateMany');
    const first = addMilestoneEvidence({ ...t.plain, db: t.held.db }, id, EVIDENCE);
    await hold.reached;
    // The window: the records still wait, the entry naming them only on the milestone.
    expect(await t.db.collection(evidenceCollection).count({ milestoneId: id, attaching: { $exists: true } })).toBe(EVIDENCE.length);
    expect(await t.db.collection(auditLogCollection).count({ aggregateId: id, action: 'milestone.evidence_added' })).toBe(0);
    expect(await t.entries('milestone.evidence_added', id, holder)).toHaveLength(1);

    const repeat = await addMilestoneEvidence(t.plain, id, EVIDENCE);
    // The write is stored, so its evidence is shown already.
    expect(await listEvidence({ db: t.db }, id)).toHaveLength(EVIDENCE.length);
    hold.release();
    const original = ids(await first);
    expect(ids(repeat)).toEqual(original);
    expect(repeat.ok && repeat.value.some((e) => 'attaching' in e)).toBe(false);
    await t.relay();

    expect(await t.db.collection(evidenceCollection).count({ milestoneId: id })).toBe(EVIDENCE.length);
    expect(await t.entries('milestone.evidence_added', id, holder)).toEqual([original]);
    expect(await t.events('milestone.evidence_added', holder)).toBe(1);
    expect((await listEvidence({ db: t.db }, id)).map((e) => e._id)).toEqual(original);
    expect(await verifyAuditLog(t.db)).toMatchObject({ ok: true });
  });

  it('a retry after a request whose later writes failed past its milestone write returns the same records, audited once', async () => {
    const t = await world();
    const id = await t.milestone('Columns');
    const holder = { def: milestonesCollection, id };
    // Every write after the evidence and milestone writes fails: the client gave up waiting.
    t.crash.state.writes = [];
    t.crash.state.stopAt = 2;
    const first = await addMilestoneEvidence({ ...t.plain, db: t.crash.db }, id, EVIDENCE);
    t.crash.state.stopAt = Number.POSITIVE_INFINITY;
    expect(t.crash.state.writes.slice(0, 2)).toEqual(['evidence.insertMany', 'milestones.updateOne']);
    const original = ids(first);
    expect(await t.db.collection(auditLogCollection).count({ aggregateId: id, action: 'milestone.evidence_added' })).toBe(0);

    const retried = await addMilestoneEvidence(t.plain, id, EVIDENCE);
    expect(ids(retried)).toEqual(original);
    // The same again once the relay linked the entry.
    await t.relay();
    expect(ids(await addMilestoneEvidence(t.plain, id, EVIDENCE))).toEqual(original);

    expect(await t.db.collection(evidenceCollection).count({ milestoneId: id })).toBe(EVIDENCE.length);
    expect(await t.entries('milestone.evidence_added', id, holder)).toEqual([original]);
    expect(await t.events('milestone.evidence_added', holder)).toBe(1);
    expect((await listEvidence({ db: t.db }, id)).map((e) => e._id)).toEqual(original);
  });

  it('a repeat that looks while the relay links the entry still finds the write', async () => {
    const t = await world();
    const id = await t.milestone('Beams');
    const holder = { def: milestonesCollection, id };
    t.crash.state.stopAt = 2;
    const original = ids(await addMilestoneEvidence({ ...t.plain, db: t.crash.db }, id, EVIDENCE));
    t.crash.state.stopAt = Number.POSITIVE_INFINITY;
    // The relay links the pending entry (and takes it off the milestone) right after the repeat's
    // first look at the milestone or the audit log, before its second.
    let relayed = false;
    const racing: TenantStore = {
      tenantId: t.db.tenantId,
      collection<T extends BaseDoc>(def: CollectionDef<T>): Collection<T> {
        const c = t.db.collection(def);
        if (def.name !== milestonesCollection.name && def.name !== auditLogCollection.name) return c;
        return {
          ...c,
          find: async (...args: Parameters<Collection<T>['find']>) => {
            const rows = await c.find(...args);
            if (!relayed) {
              relayed = true;
              await t.relay();
            }
            return rows;
          },
        };
      },
    };
    const repeat = await addMilestoneEvidence({ ...t.plain, db: racing }, id, EVIDENCE);
    expect(relayed).toBe(true);
    expect(ids(repeat)).toEqual(original);
    await t.relay();
    expect(await t.db.collection(evidenceCollection).count({ milestoneId: id })).toBe(EVIDENCE.length);
    expect(await t.entries('milestone.evidence_added', id, holder)).toEqual([original]);
  });

  it('two retries at once of a request that stopped before its milestone write do not both take its records over', async () => {
    const t = await world();
    const id = await t.milestone('Stairs');
    const holder = { def: milestonesCollection, id };
    t.crash.state.writes = [];
    t.crash.state.stopAt = 1;
    await expect(addMilestoneEvidence({ ...t.plain, db: t.crash.db }, id, EVIDENCE)).rejects.toThrow('the process stopped here');
    t.crash.state.stopAt = Number.POSITIVE_INFINITY;
    const orphans = (await t.db.collection(evidenceCollection).find({ milestoneId: id })).map((e) => e._id);

    // Both retry once the records are past their lease, so either may take them over.
    t.later(EVIDENCE_LEASE_MS + 1000);
    const [a, b] = await Promise.all([addMilestoneEvidence(t.plain, id, EVIDENCE), addMilestoneEvidence(t.plain, id, EVIDENCE)]);
    await t.relay();
    const named = await t.entries('milestone.evidence_added', id, holder);
    const all = named.flat();
    // Every record is named by one entry at most, and each request got back what its entry names.
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(orphans));
    for (const r of [ids(a), ids(b)]) expect(named).toContainEqual(r);
    expect((await listEvidence({ db: t.db }, id)).map((e) => e._id).sort()).toEqual([...all].sort());
  });

  it('evidence given with a verification request still waiting to be linked is not taken over by adding it to that verification', async () => {
    const t = await world();
    const id = await t.milestone('Roof');
    // The request stops after storing the verification, before marking its records.
    const hold = t.held.hold('evidence.updateMany');
    const requested = requestVerification({ ...t.plain, db: t.held.db }, id, { approvers: [{ role: 'admin' }], evidence: EVIDENCE });
    await hold.reached;
    const verification = (await t.db.collection(verificationsCollection).findOne({ milestoneId: id }))!;
    const holder = { def: verificationsCollection, id: verification._id };
    const staged = (await t.db.collection(evidenceCollection).find({ milestoneId: id }, { sort: { _id: 1 } })).map((e) => e._id);
    expect(staged).toHaveLength(EVIDENCE.length);

    const added = await addMilestoneEvidence(t.plain, id, EVIDENCE, { verificationId: verification._id });
    hold.release();
    expect((await requested).ok).toBe(true);
    expect(ids(added)).toEqual(staged);
    await t.relay();

    expect(await t.db.collection(evidenceCollection).count({ milestoneId: id })).toBe(EVIDENCE.length);
    expect(await t.entries('verification.requested', verification._id, holder)).toEqual([staged]);
    expect(await t.entries('milestone.evidence_added', id, { def: milestonesCollection, id })).toEqual([]);
    expect(await t.events('milestone.evidence_added', { def: milestonesCollection, id })).toBe(0);
    expect((await listEvidence({ db: t.db }, id)).map((e) => e._id)).toEqual(staged);
  });

  it('takes over a record whose write never came once past its lease, but not one whose write cannot be looked for', async () => {
    const t = await world();
    const id = await t.milestone('Plinth');
    const holder = { def: milestonesCollection, id };
    const col = t.db.collection(evidenceCollection);
    const gone = new Date(t.plain.now().getTime() - EVIDENCE_LEASE_MS - 1000);
    const base = { milestoneId: id, by: t.plain.actor, kind: 'photo', link: 'https://files.example.in/slab.jpg', at: gone };
    // One waits for a milestone write that never came; one (kept with its audit entry alone) for a write nobody can look for.
    await col.insert({ ...base, _id: 'evd_never', attaching: [{ audit: 'aud_never', collection: 'milestones', document: id }] });
    await col.insert({ ...base, _id: 'evd_unknown', link: 'https://files.example.in/other.jpg', attaching: ['aud_unknown'] });
    expect(await listEvidence({ db: t.db }, id)).toEqual([]);

    const added = ids(await addMilestoneEvidence(t.plain, id, [{ kind: 'photo', link: base.link }, { kind: 'photo', link: 'https://files.example.in/other.jpg' }]));
    expect(added[0]).toBe('evd_never');
    expect(added[1]).not.toBe('evd_unknown');
    expect(await col.count({ milestoneId: id })).toBe(3);
    await t.relay();
    expect(await t.entries('milestone.evidence_added', id, holder)).toEqual([added]);
    expect((await listEvidence({ db: t.db }, id)).map((e) => e._id).sort()).toEqual([...added].sort());
  });

  it('leaves a waiting record to its request until its lease runs out, then takes it over', async () => {
    const t = await world();
    const id = await t.milestone('Lintel');
    const col = t.db.collection(evidenceCollection);
    const link = 'https://files.example.in/lintel.jpg';
    // Waiting for a milestone write that is not stored (yet), staged just inside the lease.
    const staged = new Date(t.plain.now().getTime() - EVIDENCE_LEASE_MS + 60_000);
    await col.insert({ milestoneId: id, by: t.plain.actor, kind: 'photo', link, at: staged, _id: 'evd_recent', attaching: [{ audit: 'aud_recent', collection: 'milestones', document: id }] });

    // A repeat inside the lease stores a record of its own (and stops before its milestone write,
    // so its record waits too, and is not one the next repeat would find attached).
    t.crash.state.writes = [];
    t.crash.state.stopAt = 1;
    await expect(addMilestoneEvidence({ ...t.plain, db: t.crash.db }, id, [{ kind: 'photo', link }])).rejects.toThrow('the process stopped here');
    t.crash.state.stopAt = Number.POSITIVE_INFINITY;
    expect(t.crash.state.writes[0]).toBe('evidence.insertMany');
    expect((await col.findById('evd_recent'))?.attaching).toEqual([{ audit: 'aud_recent', collection: 'milestones', document: id }]);
    expect(await col.count({ milestoneId: id })).toBe(2);

    // Its request is gone once the lease is over: a repeat now takes it over (the newer record's lease still runs).
    t.later(2 * 60_000);
    expect(ids(await addMilestoneEvidence(t.plain, id, [{ kind: 'photo', link }]))).toEqual(['evd_recent']);
    expect(await col.count({ milestoneId: id })).toBe(2);
    expect((await listEvidence({ db: t.db }, id)).map((e) => e._id)).toEqual(['evd_recent']);
  });

  it('an identical request while the first is on its way to its milestone write stores its own records and leaves the first its own', async () => {
    const t = await world();
    const id = await t.milestone('Footing');
    const holder = { def: milestonesCollection, id };
    // The first request has staged its records and waits before its milestone write.
    const hold = t.held.hold('milestones.updateOne');
    const first = addMilestoneEvidence({ ...t.plain, db: t.held.db }, id, EVIDENCE);
    await hold.reached;
    const staged = (await t.db.collection(evidenceCollection).find({ milestoneId: id }, { sort: { _id: 1 } })).map((e) => e._id);
    expect(staged).toHaveLength(EVIDENCE.length);

    const second = ids(await addMilestoneEvidence(t.plain, id, EVIDENCE));
    hold.release();
    const original = ids(await first);
    expect(original).toEqual(staged);
    expect(second.filter((e) => original.includes(e))).toEqual([]);
    await t.relay();

    // Each entry names its own request's records, and no record is named twice.
    const named = await t.entries('milestone.evidence_added', id, holder);
    expect([...named].sort()).toEqual([original, second].sort());
    expect(await t.events('milestone.evidence_added', holder)).toBe(2);
    expect((await listEvidence({ db: t.db }, id)).map((e) => e._id).sort()).toEqual([...original, ...second].sort());
    expect(await verifyAuditLog(t.db)).toMatchObject({ ok: true });
  });
});
