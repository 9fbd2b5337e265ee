import { describe, expect, it } from 'vitest';
import { AGGREGATE_COLLECTION_NAMES, appendAudit, auditLogCollection, pendingAuditHook, settlePendingAudit, verifyAuditLog, type PendingAuditEntry } from '../../core/audit-log/index.ts';
import { plainJson, type DomainContext, type DomainEvent } from '../../core/domain/index.ts';
import { createMilestone, listEvidence, milestonesCollection, transitionMilestone, verificationsCollection } from '../../core/milestones/index.ts';
import { createDelegation, delegationsCollection, reassignOwners, revokeDelegation } from '../../core/ownership/index.ts';
import { createPerson, deletePerson, peopleCollection, updatePerson } from '../../core/people/index.ts';
import { applyProjectPatch, createProject, projectsCollection } from '../../core/projects/index.ts';
import type { BaseDoc, CollectionDef } from '../../core/store/index.ts';
import {
  addMilestoneEvidence,
  cancelVerification,
  decideVerification,
  disputesCollection,
  raiseDispute,
  recordVerificationSignal,
  requestVerification,
  resolveDispute,
} from '../../core/verification/index.ts';
import { OUTBOX_COLLECTIONS } from '../../queues/index.ts';
import { crashingAudit } from './crashing-audit.ts';
import { expectStatus, GSTIN_MH, milestoneWorld } from './milestone-fixtures.ts';

// Every audited change writes its audit entry in the same single-document write as the change;
// linking it into the chain comes after. These tests stop the process between the two (the link
// fails) for each kind of aggregate and show the entry still lands exactly once, with its diff.

interface Holder extends BaseDoc {
  outbox?: DomainEvent[];
  auditOutbox?: PendingAuditEntry[];
}

async function world() {
  const w = await milestoneWorld();
  const db = w.services.store.forTenant(w.tenantId);
  const crash = crashingAudit(db);
  const ctx: DomainContext = { db: crash.db, now: () => new Date(), actor: { kind: 'user', id: 'key_test', channel: 'api', role: 'admin' } };
  // As the worker wires it: the collections the outbox relay reads.
  const hook = pendingAuditHook(w.services.store, OUTBOX_COLLECTIONS);
  const entriesFor = (id: string) => db.collection(auditLogCollection).find({ aggregateId: id }, { sort: { seq: 1 } });
  const raw = (def: CollectionDef, id: string) => db.collection(def as CollectionDef<Holder>).findById(id);
  /** Hands every event still on the tenant's documents to the hook, twice and concurrently, as a relay that re-sends would. */
  const relay = async () => {
    const events: DomainEvent[] = [];
    for (const def of OUTBOX_COLLECTIONS) for (const doc of await db.collection(def as CollectionDef<Holder>).find({ 'outbox.0': { $exists: true } })) events.push(...(doc.outbox ?? []));
    await Promise.all(events.flatMap((e) => [hook(e), hook(e)]));
    return events;
  };
  const ok = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value;
  };
  return { w, db, crash, ctx, hook, entriesFor, raw, relay, ok };
}

/** The fields of a chained entry its pending form also has, as JSON (as they are hashed and stored). */
const body = (e: { at: Date; actor: unknown; action: string; aggregate: unknown; changes: unknown; data?: unknown }) =>
  plainJson({
    at: e.at,
    actor: e.actor,
    action: e.action,
    aggregate: e.aggregate,
    changes: e.changes,
    ...(e.data === undefined ? {} : { data: e.data }),
  });

describe('audit entries written with every domain change', () => {
  it('finds, among the collections the outbox relay reads, the collection of every aggregate written with pending entries', () => {
    const byName = new Map(OUTBOX_COLLECTIONS.map((d) => [d.name, d]));
    const expected = { project: projectsCollection, milestone: milestonesCollection, person: peopleCollection, verification: verificationsCollection, dispute: disputesCollection, delegation: delegationsCollection };
    for (const [type, def] of Object.entries(expected)) {
      const name = AGGREGATE_COLLECTION_NAMES[type as keyof typeof expected];
      expect(name, type).toBe(def.name);
      expect(byName.get(name!), type).toBe(def);
    }
  });

  it('links an entry whose id was chosen ahead once, however often and in whatever company it is appended', async () => {
    const { db } = await world();
    const base = { at: new Date(), actor: { kind: 'system' as const, id: 'test' }, action: 'person.updated', aggregate: { type: 'person' as const, id: 'per_x' }, changes: [{ path: 'name', from: 'A', to: 'B' }] };
    const before = await db.collection(auditLogCollection).count({});
    const [first] = await appendAudit(db, [{ ...base, id: 'aud_fixed_1' }]);
    const [again] = await appendAudit(db, [{ ...base, id: 'aud_fixed_1' }]);
    expect(again).toEqual(first);
    // A batch with one entry linked already and one new links only the new one, after the chain's end.
    const batch = await appendAudit(db, [{ ...base, id: 'aud_fixed_2', action: 'person.deleted' }, { ...base, id: 'aud_fixed_1' }]);
    expect(batch.map((e) => e._id)).toEqual(['aud_fixed_2', 'aud_fixed_1']);
    expect(batch[1]).toEqual(first);
    expect(batch[0]!.seq).toBe(first!.seq + 1);
    const concurrent = await Promise.all([1, 2, 3].map(() => appendAudit(db, [{ ...base, id: 'aud_fixed_3' }])));
    expect(new Set(concurrent.map(([e]) => e!.seq)).size).toBe(1);
    expect(await db.collection(auditLogCollection).count({})).toBe(before + 3);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true, count: before + 3 });
  });

  it('survive a crash after project and person writes, land exactly once with their diffs, and keep the chain verifiable', async () => {
    const { db, crash, ctx, entriesFor, raw, relay, ok } = await world();
    crash.state.down = true;
    const project = ok(await createProject(ctx, { name: 'Tower C', client: { name: 'Acme Infra', gstin: GSTIN_MH, stateCode: '27' }, contractValue: 10_00_000_00 }));
    expect(project).not.toHaveProperty('auditOutbox');
    ok(await applyProjectPatch(ctx, project._id, { name: 'Tower C (east)', contractValue: 12_00_000_00 }));
    ok(await applyProjectPatch(ctx, project._id, { status: 'archived' }));
    const person = ok(await createPerson(ctx, { name: 'Asha Rao', email: 'asha@example.in', channels: ['email'] }));
    const renamed = ok(await updatePerson(ctx, person._id, { name: 'Asha R. Rao', team: 'civil' }));
    expect(renamed).not.toHaveProperty('auditOutbox');
    ok(await deletePerson(ctx, person._id));
    crash.state.down = false;
    expect(crash.state.failures).toBe(6);

    // The changes are stored; their entries wait on the documents, none in the chain yet.
    expect((await raw(projectsCollection, project._id))!.auditOutbox?.map((e) => e.action)).toEqual(['project.created', 'project.updated', 'project.archived']);
    expect((await raw(peopleCollection, person._id))!.auditOutbox?.map((e) => e.action)).toEqual(['person.created', 'person.updated', 'person.deleted']);
    expect(await db.collection(auditLogCollection).count({})).toBe(0);
    const pending = [...(await raw(projectsCollection, project._id))!.auditOutbox!, ...(await raw(peopleCollection, person._id))!.auditOutbox!];

    await relay();
    await relay();

    const projectEntries = await entriesFor(project._id);
    expect(projectEntries.map((e) => e.action)).toEqual(['project.created', 'project.updated', 'project.archived']);
    expect(projectEntries[0]!.changes.find((c) => c.path === 'name')).toEqual({ path: 'name', from: undefined, to: 'Tower C' });
    expect(projectEntries[1]!.changes).toEqual([
      { path: 'contractValue', from: 10_00_000_00, to: 12_00_000_00 },
      { path: 'name', from: 'Tower C', to: 'Tower C (east)' },
    ]);
    expect(projectEntries[2]!.changes.map((c) => c.path)).toEqual(['archivedAt', 'status']);
    const personEntries = await entriesFor(person._id);
    expect(personEntries.map((e) => e.action)).toEqual(['person.created', 'person.updated', 'person.deleted']);
    expect(personEntries[1]!.changes).toEqual([
      { path: 'name', from: 'Asha Rao', to: 'Asha R. Rao' },
      { path: 'team', from: undefined, to: 'civil' },
    ]);
    expect(personEntries[2]!.changes.map((c) => c.path)).toEqual(['deletedAt']);
    for (const e of [...projectEntries, ...personEntries]) expect(e.actor).toEqual({ kind: 'user', id: 'key_test', channel: 'api', role: 'admin' });
    // Each chained entry is its pending entry, under the same id.
    for (const p of pending) {
      const chained = [...projectEntries, ...personEntries].find((e) => e._id === p.id)!;
      expect(body(chained)).toEqual(body(p));
    }
    expect((await raw(projectsCollection, project._id))!.auditOutbox).toEqual([]);
    expect((await raw(peopleCollection, person._id))!.auditOutbox).toEqual([]);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true, count: 6 });

    // A recovered entry is as tamper-evident as any other.
    const target = personEntries[1]!;
    await db.collection(auditLogCollection).updateOne({ _id: target._id }, { $set: { changes: [{ path: 'name', from: 'Asha Rao', to: 'Someone else' }] } });
    expect(await verifyAuditLog(db)).toMatchObject({ ok: false, code: 'hash_mismatch', entry: { id: target._id, seq: target.seq } });
  });

  it('survive a crash after verification requests, decisions, signals, cancellations and disputes, evidence ids included', async () => {
    const { w, db, crash, ctx, entriesFor, raw, relay, ok } = await world();
    const p = await w.project();
    const ms = async (title: string) => ok(await createMilestone(ctx, { projectId: p.id, kind: 'milestone', title }))._id;
    const [a, b, c, d] = [await ms('Plinth'), await ms('Columns'), await ms('Slab'), await ms('Roof')];
    const photo = { kind: 'photo', link: 'https://files.example.in/plinth.jpg' };
    const report = { kind: 'report', content: 'cube test passed', description: 'cube test' };

    crash.state.down = true;
    const manual = ok(await requestVerification(ctx, a, { approvers: [{ role: 'admin' }], evidence: [photo] }));
    expect(manual).not.toHaveProperty('auditOutbox');
    const decided = ok(await decideVerification(ctx, a, manual._id, { decision: 'approve', comment: 'looks right', evidence: [report] }));
    expect(decided.status).toBe('approved');
    const automated = ok(await requestVerification(ctx, b, { method: 'automated', automated: { signal: 'jira.issue.done' } }));
    const signalled = ok(await recordVerificationSignal(ctx, b, { signal: 'jira.issue.done', passed: true }));
    expect(signalled.map((v) => v.status)).toEqual(['approved']);
    const withdrawn = ok(await requestVerification(ctx, c, { approvers: [{ role: 'admin' }] }));
    ok(await cancelVerification(ctx, c, withdrawn._id));
    const raised = ok(await raiseDispute(ctx, d, { reason: 'slab thickness below drawing', evidence: [photo] }));
    expect(raised.dispute).not.toHaveProperty('auditOutbox');
    ok(await resolveDispute(ctx, d, raised.dispute._id, { resolution: 'measured again: within tolerance', outcome: 'accept' }));
    crash.state.down = false;
    expect(crash.state.failures).toBe(8);
    expect(await db.collection(auditLogCollection).count({ action: { $regex: /^(verification|dispute)\./ } })).toBe(0);
    const pendingOn = async (def: CollectionDef, id: string) => (await raw(def, id))!.auditOutbox ?? [];
    const pending = [
      ...(await pendingOn(verificationsCollection, manual._id)),
      ...(await pendingOn(verificationsCollection, automated._id)),
      ...(await pendingOn(verificationsCollection, withdrawn._id)),
      ...(await pendingOn(disputesCollection, raised.dispute._id)),
    ];
    expect(pending.map((e) => e.action)).toEqual([
      'verification.requested',
      'verification.decided',
      'verification.requested',
      'verification.signal',
      'verification.requested',
      'verification.cancelled',
      'dispute.raised',
      'dispute.resolved',
    ]);

    await relay();

    const manualEntries = await entriesFor(manual._id);
    expect(manualEntries.map((e) => e.action)).toEqual(['verification.requested', 'verification.decided']);
    // The entries name the evidence records stored with them.
    const evidenceA = await listEvidence({ db }, a);
    expect(evidenceA.map((e) => e.kind)).toEqual(['photo', 'report']);
    expect(manualEntries[0]!.data).toEqual({ milestoneId: a, evidence: [evidenceA[0]!._id] });
    expect(manualEntries[1]!.data).toEqual({ milestoneId: a, decision: 'approve', evidence: [evidenceA[1]!._id] });
    expect(manualEntries[1]!.changes.find((ch) => ch.path === 'status')).toEqual({ path: 'status', from: 'pending', to: 'approved' });
    const automatedEntries = await entriesFor(automated._id);
    expect(automatedEntries.map((e) => e.action)).toEqual(['verification.requested', 'verification.signal']);
    expect(automatedEntries[1]!.changes.find((ch) => ch.path === 'automated.passed')).toEqual({ path: 'automated.passed', from: undefined, to: true });
    const cancelled = await entriesFor(withdrawn._id);
    expect(cancelled.map((e) => e.action)).toEqual(['verification.requested', 'verification.cancelled']);
    expect(cancelled[1]!.changes).toEqual([{ path: 'status', from: 'pending', to: 'cancelled' }]);
    const disputeEntries = await entriesFor(raised.dispute._id);
    expect(disputeEntries.map((e) => e.action)).toEqual(['dispute.raised', 'dispute.resolved']);
    expect(disputeEntries[0]!.data).toEqual({ milestoneId: d, evidence: (await listEvidence({ db }, d)).map((e) => e._id) });
    expect(disputeEntries[1]!.changes.find((ch) => ch.path === 'outcome')).toEqual({ path: 'outcome', from: undefined, to: 'accept' });
    const chained = [...manualEntries, ...automatedEntries, ...cancelled, ...disputeEntries];
    expect(chained).toHaveLength(pending.length);
    for (const entry of pending) expect(body(chained.find((e) => e._id === entry.id)!)).toEqual(body(entry));
    for (const id of [manual._id, automated._id, withdrawn._id]) expect(await pendingOn(verificationsCollection, id)).toEqual([]);
    expect(await pendingOn(disputesCollection, raised.dispute._id)).toEqual([]);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true, count: 1 + 4 + 8 });
  });

  it('survive a crash after delegations and a bulk reassignment of owners', async () => {
    const { w, db, crash, ctx, entriesFor, raw, relay, ok } = await world();
    const p = await w.project();
    const asha = ok(await createPerson(ctx, { name: 'Asha Rao', email: 'asha@example.in', channels: ['email'] }))._id;
    const ravi = ok(await createPerson(ctx, { name: 'Ravi Iyer', email: 'ravi@example.in', channels: ['email'] }))._id;
    const owned = [];
    for (const title of ['Plinth', 'Columns']) owned.push(ok(await createMilestone(ctx, { projectId: p.id, kind: 'milestone', title, owners: [{ kind: 'individual', ref: asha, role: 'primary' }] }))._id);
    const before = await db.collection(auditLogCollection).count({});

    crash.state.down = true;
    const delegation = ok(await createDelegation(ctx, { from: asha, to: ravi, start: '2026-05-01', end: '2026-05-15', reason: 'leave' }));
    expect(delegation).not.toHaveProperty('auditOutbox');
    ok(await revokeDelegation(ctx, delegation._id));
    const moved = ok(await reassignOwners(ctx, { from: asha, to: ravi, filter: { projectId: p.id } }));
    expect(moved).toMatchObject({ matched: 2, updated: 2, failed: 0 });
    crash.state.down = false;
    expect(await db.collection(auditLogCollection).count({})).toBe(before);
    expect((await raw(delegationsCollection, delegation._id))!.auditOutbox?.map((e) => e.action)).toEqual(['delegation.created', 'delegation.revoked']);

    await relay();

    const delegationEntries = await entriesFor(delegation._id);
    expect(delegationEntries.map((e) => e.action)).toEqual(['delegation.created', 'delegation.revoked']);
    expect(delegationEntries[0]!.changes.filter((c) => ['fromPersonId', 'toPersonId', 'reason'].includes(c.path))).toEqual([
      { path: 'fromPersonId', from: undefined, to: asha },
      { path: 'reason', from: undefined, to: 'leave' },
      { path: 'toPersonId', from: undefined, to: ravi },
    ]);
    expect(delegationEntries[1]!.changes.map((c) => c.path)).toEqual(['revokedAt']);
    for (const id of owned) {
      const entries = await entriesFor(id);
      expect(entries.map((e) => e.action)).toEqual(['milestone.created', 'milestone.updated']);
      expect(entries[1]!.changes.find((c) => c.path === 'owners')).toEqual({
        path: 'owners',
        from: [{ kind: 'individual', ref: asha, role: 'primary' }],
        to: [{ kind: 'individual', ref: ravi, role: 'primary' }],
      });
    }
    expect((await raw(delegationsCollection, delegation._id))!.auditOutbox).toEqual([]);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true, count: before + 4 });
  });

  it('records evidence added on its own in the milestone history, and keeps the entry through a crash', async () => {
    const { w, db, crash, ctx, entriesFor, raw, relay, ok } = await world();
    const p = await w.project();
    const m = await w.milestone(p.id, { title: 'Plinth' });
    const added = await expectStatus<{ items: { id: string }[] }>(
      w.call('POST', `/v1/milestones/${m.id}/evidence`, { body: { items: [{ kind: 'photo', link: 'https://files.example.in/a.jpg' }, { kind: 'report', description: 'site visit' }] } }),
      201,
    );
    const { items } = await expectStatus<{ items: { action: string; data?: unknown }[] }>(w.call('GET', `/v1/milestones/${m.id}/history`), 200);
    expect(items.map((e) => e.action)).toEqual(['milestone.created', 'milestone.evidence_added']);
    expect(items[1]!.data).toEqual({ evidence: added.items.map((e) => e.id) });
    const version = (await raw(milestonesCollection, m.id)) as unknown as { revision: number };
    expect(version.revision).toBe(1);

    crash.state.down = true;
    const stored = ok(await addMilestoneEvidence(ctx, m.id, [{ kind: 'photo', link: 'https://files.example.in/b.jpg' }]));
    crash.state.down = false;
    expect((await raw(milestonesCollection, m.id))!.auditOutbox?.map((e) => e.action)).toEqual(['milestone.evidence_added']);
    await relay();
    const entries = await entriesFor(m.id);
    expect(entries.map((e) => e.action)).toEqual(['milestone.created', 'milestone.evidence_added', 'milestone.evidence_added']);
    expect(entries[2]!.data).toEqual({ evidence: stored.map((e) => e._id) });
    expect((await raw(milestonesCollection, m.id))!.auditOutbox).toEqual([]);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true });

    // Bad evidence is refused before anything is written.
    const refused = await expectStatus<{ code: string }>(w.call('POST', `/v1/milestones/${m.id}/evidence`, { body: { items: [{ kind: 'report', content: 'abc', contentHash: 'b'.repeat(64) }] } }), 422);
    expect(refused.code).toBeTruthy();
    expect(await db.collection(auditLogCollection).count({ aggregateId: m.id })).toBe(3);
    expect(await addMilestoneEvidence(ctx, 'ms_nope', [{ kind: 'photo', link: 'https://files.example.in/c.jpg' }])).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('links a transition entry with the ids of its evidence, the same after a crash as without one', async () => {
    const { w, db, crash, ctx, entriesFor, raw, ok } = await world();
    const p = await w.project();
    const evidence = [
      { kind: 'photo', link: 'https://files.example.in/site.jpg' },
      { kind: 'report', content: 'crew of 12 on site', description: 'daily report' },
    ];
    const transitioned = async (id: string) => (await entriesFor(id)).find((e) => e.action === 'milestone.transitioned')!;

    // Without a crash.
    const happy = ok(await createMilestone(ctx, { projectId: p.id, kind: 'milestone', title: 'Plinth' }))._id;
    ok(await transitionMilestone(ctx, happy, { to: 'in_progress', reason: 'crew on site', evidence }));
    const happyEntry = await transitioned(happy);
    const happyEvidence = (await listEvidence({ db }, happy)).map((e) => e._id);
    expect(happyEvidence).toHaveLength(2);
    expect(happyEntry.data).toEqual({ from: 'planned', to: 'in_progress', reason: 'crew on site', evidence: happyEvidence });

    // With a crash between the write and the link: the pending entry already names the evidence.
    const crashed = ok(await createMilestone(ctx, { projectId: p.id, kind: 'milestone', title: 'Columns' }))._id;
    crash.state.down = true;
    ok(await transitionMilestone(ctx, crashed, { to: 'in_progress', reason: 'crew on site', evidence }));
    crash.state.down = false;
    const doc = (await raw(milestonesCollection, crashed))!;
    const pending = doc.auditOutbox!.find((e) => e.action === 'milestone.transitioned')!;
    const crashedEvidence = (await listEvidence({ db }, crashed)).map((e) => e._id);
    expect(pending.data).toEqual({ from: 'planned', to: 'in_progress', reason: 'crew on site', evidence: crashedEvidence });
    await settlePendingAudit(db, milestonesCollection, [doc]);
    const recovered = await transitioned(crashed);
    expect(recovered._id).toBe(pending.id);
    expect(body(recovered)).toEqual(body(pending));
    // Same shape as the happy path's entry, field for field, but for the milestone's own ids and clock.
    const comparable = (e: typeof happyEntry, ids: string[], at: Date) => ({
      ...body(e),
      at: at.toISOString(),
      aggregate: { ...e.aggregate, id: 'm' },
      data: { ...e.data, evidence: ids.map((_, i) => `e${i}`) },
      changes: e.changes.filter((c) => !['statusChangedAt', 'startedAt', 'title'].includes(c.path)),
    });
    const epoch = new Date(0);
    expect(comparable(recovered, crashedEvidence, epoch)).toEqual(comparable(happyEntry, happyEvidence, epoch));
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true });
  });

  it('refuses evidence whose hash does not match its content before the milestone moves', async () => {
    const { w, ctx, entriesFor, ok } = await world();
    const p = await w.project();
    const id = ok(await createMilestone(ctx, { projectId: p.id, kind: 'milestone', title: 'Plinth' }))._id;
    const refused = await transitionMilestone(ctx, id, { to: 'in_progress', evidence: [{ kind: 'report', content: 'abc', contentHash: 'a'.repeat(64) }] });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'invalid', issues: [{ path: 'evidence.0.contentHash', code: 'hash_mismatch' }] });
    expect((await entriesFor(id)).map((e) => e.action)).toEqual(['milestone.created']);
  });
});
