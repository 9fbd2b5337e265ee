import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acknowledgeEscalationById,
  escalationOf,
  escalationPolicySchema,
  escalationSignalsCollection,
  escalationsCollection,
  getEscalation,
  listEscalations,
  loadSweepInput,
  openEscalation,
  recordEscalationAction,
  requestRuleEscalation,
  resolveEscalationById,
  sweepEscalations,
  type EscalationAction,
  type EscalationDoc,
} from '../../core/escalations/index.ts';
import { createNedbStore, createStore, type Collection, type Store, type TenantStore, type Update } from '../../core/store/index.ts';
import { escalationEventsHook, runEscalationSweep, type EscalationSweepResult } from '../../queues/escalations/index.ts';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp/index.ts';
import { ESCALATION_LEVELS, expectStatus, probeFixture, waitFor, type ProbeFixture, type ProbeTenant } from '../probes/probe-fixture.ts';
import { type Escalation, escalationsOf, LevelGate, overriding, withEscalationsCollection } from './escalation-test-kit.ts';

const T0 = new Date('2026-12-01T04:30:00Z');
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
const ctxAt = (db: TenantStore, when: Date) => ({ db, now: () => when, actor: { kind: 'user' as const, id: 'u-1' } });

/** A fresh in-memory embedded store and one tenant's view of it. */
function tenantStore(): TenantStore {
  return createStore(createNedbStore({ dir: '', inMemory: true }), { now: () => T0 }).forTenant('tenant-once');
}

/** The `open` a sweep decides for a rule request made at `requestedAt` for `level`, when it saw no escalation. */
const ruleOpen = (level: number, requestedAt: Date, when: Date, milestoneId = 'm-1'): Extract<EscalationAction, { type: 'open' }> => ({
  type: 'open',
  key: `${milestoneId}:rule:${requestedAt.toISOString()}`,
  milestoneId,
  trigger: 'rule',
  causeKey: `rule:${requestedAt.toISOString()}`,
  level,
  at: when,
  notify: ['owner'],
  templateKey: 'escalation.level-1',
});

const open = (db: TenantStore, action: Extract<EscalationAction, { type: 'open' }>) => recordEscalationAction(db, action, { projectId: 'p-1', policyKey: 'default' });

const unresolvedRule = (db: TenantStore, milestoneId = 'm-1') =>
  db.collection(escalationsCollection).find({ milestoneId, trigger: 'rule', state: { $in: ['open', 'acknowledged'] } });

describe('two openers of a rule escalation that each saw none, for requests made at different instants', () => {
  for (const order of [
    [2, 3],
    [3, 2],
  ]) {
    it(`leave one unresolved escalation at the higher level, each level reached once (${order.join(' then ')})`, async () => {
      const db = tenantStore();
      // The level-2 request was made at minute 1, the level-3 one at minute 2; each sweep saw only its own.
      const requestedAt = (level: number) => at(level - 1);
      const written = await Promise.all(order.map((level) => open(db, ruleOpen(level, requestedAt(level), at(3)))));

      const [only, ...others] = await unresolvedRule(db);
      expect(others).toHaveLength(0);
      expect(only).toMatchObject({ state: 'open', level: 3 });
      const reached = only!.history.filter((h) => h.type === 'opened' || h.type === 'raised').map((h) => h.level);
      expect(reached.at(-1)).toBe(3);
      expect(reached).toEqual([...new Set(reached)].sort((a, b) => a - b));
      // Only a writer that reached a level gets the escalation back (and sends that level's notices).
      expect(written.flatMap((w) => (w ? [w.level] : [])).sort((a, b) => a - b)).toEqual(reached);
      expect(written.every((w) => w === null || w._id === only!._id)).toBe(true);
    });
  }

  it('joins an acknowledged escalation too, returning it to open at the higher level', async () => {
    const db = tenantStore();
    const first = (await open(db, ruleOpen(1, at(1), at(1))))!;
    expect((await acknowledgeEscalationById(ctxAt(db, at(2)), first._id)).ok).toBe(true);
    const joined = await open(db, ruleOpen(2, at(2), at(3)));
    expect(joined).toMatchObject({ _id: first._id, state: 'open', level: 2, levelSince: at(3) });
    expect(joined).not.toHaveProperty('acknowledgedAt');
    expect(await unresolvedRule(db)).toHaveLength(1);
  });

  it('opens a new one once the last is resolved by a person, or closed because its cause is gone', async () => {
    const db = tenantStore();
    const first = (await open(db, ruleOpen(2, at(1), at(1))))!;
    expect(first.openKey).toBeDefined();
    expect(await open(db, ruleOpen(1, at(2), at(2)))).toBeNull();

    expect((await resolveEscalationById(ctxAt(db, at(3)), first._id)).ok).toBe(true);
    expect(await db.collection(escalationsCollection).findById(first._id)).not.toHaveProperty('openKey');
    const second = (await open(db, ruleOpen(1, at(4), at(4))))!;
    expect(second).toMatchObject({ state: 'open', level: 1, causeKey: `rule:${at(4).toISOString()}` });
    expect(second._id).not.toBe(first._id);

    const closed = await recordEscalationAction(
      db,
      { type: 'close', key: `${second._id}:close`, escalationId: second._id, milestoneId: 'm-1', trigger: 'rule', reason: 'milestone_closed', at: at(5) },
      { projectId: 'p-1', policyKey: 'default', current: second },
    );
    expect(closed).toMatchObject({ state: 'resolved', resolution: 'cause_cleared' });
    expect(closed).not.toHaveProperty('openKey');
    const third = (await open(db, ruleOpen(3, at(6), at(6))))!;
    expect(third).toMatchObject({ state: 'open', level: 3 });
    expect((await unresolvedRule(db)).map((e) => e._id)).toEqual([third._id]);
    // A cause a person resolved still does not open again.
    expect(await open(db, ruleOpen(3, at(1), at(7)))).toBeNull();
  });

  it('holds one milestone only, and leaves escalations of other triggers alone', async () => {
    const db = tenantStore();
    expect(await open(db, ruleOpen(1, at(1), at(1), 'm-1'))).not.toBeNull();
    expect(await open(db, ruleOpen(1, at(1), at(1), 'm-2'))).not.toBeNull();
    const overdue = await open(db, { ...ruleOpen(1, at(1), at(1)), trigger: 'overdue', causeKey: 'overdue:2026-11-30T18:29:59.999Z' });
    expect(overdue).not.toHaveProperty('openKey');
    expect(await unresolvedRule(db, 'm-2')).toHaveLength(1);
  });

  it('shows no store keys in what readers get', async () => {
    const db = tenantStore();
    const opened = (await open(db, ruleOpen(1, at(1), at(1))))!;
    await requestRuleEscalation(db, 'm-1', at(2), 3);
    expect(await db.collection(escalationsCollection).findById(opened._id)).toMatchObject({ openKey: expect.any(String), requestedLevel: 3 });
    for (const shown of [await getEscalation(db, opened._id), ...(await listEscalations(db, { milestoneId: 'm-1' }))]) {
      expect(shown).not.toHaveProperty('openKey');
      expect(shown).not.toHaveProperty('requestedLevel');
    }
    const acknowledged = await acknowledgeEscalationById(ctxAt(db, at(3)), opened._id);
    expect(acknowledged.ok && acknowledged.value).toMatchObject({ state: 'acknowledged' });
    expect(acknowledged.ok && acknowledged.value).not.toHaveProperty('openKey');
  });
});

/** `db`, with the next write to the signals that sets a rule level held until `release`, once armed. */
function heldSignalWrites(db: TenantStore) {
  let armed = false;
  let held = false;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const hold = (c: Collection<never>): Collection<never> =>
    overriding(c, {
      updateOne: async (filter: Record<string, unknown>, update: Update, options?: object) => {
        if (armed && update.$set?.['ruleEscalationLevel'] !== undefined) {
          armed = false;
          held = true;
          await released;
        }
        return c.updateOne(filter, update, options);
      },
    });
  const view: TenantStore = {
    tenantId: db.tenantId,
    collection: ((def) => (def.name === escalationSignalsCollection.name ? hold(db.collection(def) as Collection<never>) : db.collection(def))) as TenantStore['collection'],
  };
  return {
    db: view,
    arm: () => (armed = true),
    isHeld: () => held,
    release: () => release(),
  };
}

describe("a rule request taken for one made while none was open, as an escalation opens", () => {
  it('cannot take back a higher level recorded on that escalation meanwhile', async () => {
    const db = tenantStore();
    const policy = escalationPolicySchema.parse({
      levels: ESCALATION_LEVELS,
      triggers: [{ type: 'disputed' }],
      sla: { acknowledgeWithin: 'PT4H' },
      earlyWarning: { enabled: false },
    });
    await db.collection(escalationSignalsCollection).insert({ milestoneId: 'm-1', ruleEscalatedAt: at(1), ruleEscalationLevel: 1 });
    const gated = heldSignalWrites(db);
    gated.arm();
    // A request for level 2 at minute 3 finds none open; its write waits.
    const late = requestRuleEscalation(gated.db, 'm-1', at(3), 2);
    await waitFor(() => gated.isHeld(), 5_000, 'the level-2 request at its write');
    // Meanwhile the minute-1 request opens its escalation, and a level-3 request lands on it.
    const opened = (await open(db, ruleOpen(1, at(1), at(2))))!;
    await requestRuleEscalation(db, 'm-1', at(2), 3);
    gated.release();
    await late;

    const signals = (await db.collection(escalationSignalsCollection).findOne({ milestoneId: 'm-1' }))!;
    expect(signals).toMatchObject({ ruleEscalatedAt: at(3), ruleEscalationLevel: 2 });
    const stored = (await db.collection(escalationsCollection).findById(opened._id))!;
    const { actions } = sweepEscalations({
      milestones: [{ id: 'm-1', category: 'active', ruleEscalation: { at: signals.ruleEscalatedAt!, level: signals.ruleEscalationLevel! } }],
      escalations: [escalationOf(stored)],
      policy,
      now: at(4),
    });
    expect(actions).toMatchObject([{ type: 'raise', escalationId: opened._id, fromLevel: 1, toLevel: 3, reason: 'rule_requested' }]);
  });
});

describe('escalations stored before a rule escalation held its milestone', () => {
  const TENANT = 'tenant-legacy';
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** An escalation as stored before: no open key, with the store's own fields. */
  const legacy = (id: string, milestoneId: string, trigger: 'rule' | 'overdue', minute: number, resolved: boolean) => {
    const { id: _id, ...state } = openEscalation({ id, milestoneId, trigger, causeKey: `${trigger}:${at(minute).toISOString()}`, at: at(minute), level: 1 });
    return {
      _id,
      ...state,
      ...(resolved ? { state: 'resolved', resolvedAt: at(minute + 1), resolvedBy: 'user:u-1', resolution: 'resolved' } : {}),
      projectId: 'p-1',
      policyKey: 'default',
      notices: [],
      tenantId: TENANT,
      version: 1,
      createdAt: at(minute),
      updatedAt: at(minute),
    };
  };

  /** A data directory holding those escalations, written without the new index, then opened as the hub does. */
  async function reopened(): Promise<{ store: Store; db: TenantStore }> {
    const dir = mkdtempSync(join(tmpdir(), 'escalations-legacy-'));
    dirs.push(dir);
    const before = createNedbStore({ dir });
    await (
      await before.collection({ name: escalationsCollection.name, scope: 'tenant' })
    ).insertMany([
      legacy('esc-a', 'm-1', 'rule', 1, true),
      legacy('esc-b', 'm-1', 'rule', 3, true),
      legacy('esc-c', 'm-1', 'rule', 5, false),
      legacy('esc-d', 'm-1', 'overdue', 5, false),
      legacy('esc-e', 'm-2', 'rule', 1, true),
      legacy('esc-f', 'm-2', 'rule', 3, true),
    ]);
    await before.close();
    const store = createStore(createNedbStore({ dir }), { now: () => at(10) });
    return { store, db: store.forTenant(TENANT) };
  }

  it('load, and the open one keeps a second from opening', async () => {
    const { store, db } = await reopened();
    try {
      expect((await listEscalations(db)).map((e) => e._id).sort()).toEqual(['esc-a', 'esc-b', 'esc-c', 'esc-d', 'esc-e', 'esc-f']);
      const input = await loadSweepInput(db, { now: at(10), timeZone: 'Asia/Kolkata' });
      expect([...input.openDocs.keys()].sort()).toEqual(['esc-c', 'esc-d']);
      expect(input.escalations.filter((e) => e.state === 'resolved').map((e) => e.id).sort()).toEqual(['esc-a', 'esc-b', 'esc-e', 'esc-f']);

      const [first, second] = await Promise.all([open(db, ruleOpen(2, at(8), at(10))), open(db, ruleOpen(3, at(9), at(10)))]);
      expect([first, second].filter((w) => w !== null).every((w) => w!._id === 'esc-c')).toBe(true);
      expect(await unresolvedRule(db)).toMatchObject([{ _id: 'esc-c', level: 3 }]);

      expect((await resolveEscalationById(ctxAt(db, at(11)), 'esc-c')).ok).toBe(true);
      const next = (await open(db, ruleOpen(1, at(12), at(12))))!;
      expect(next).toMatchObject({ state: 'open', level: 1 });
      expect((await unresolvedRule(db)).map((e) => e._id)).toEqual([next._id]);
      // Several resolved escalations of one milestone stay side by side, as before.
      expect(await db.collection(escalationsCollection).count({ milestoneId: 'm-2', state: 'resolved' })).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('take requests, raises, acknowledgements and resolutions', async () => {
    const { store, db } = await reopened();
    try {
      await requestRuleEscalation(db, 'm-1', at(10), 3);
      expect(await db.collection(escalationsCollection).findById('esc-c')).toMatchObject({ state: 'open', requestedLevel: 3 });
      expect(await db.collection(escalationSignalsCollection).findOne({ milestoneId: 'm-1' })).toMatchObject({ ruleEscalatedAt: at(10), ruleEscalationLevel: 3 });
      // An open that a sweep decided from an older reading joins it.
      expect(await open(db, ruleOpen(2, at(10), at(10)))).toMatchObject({ _id: 'esc-c', level: 2, openKey: expect.any(String) });
      expect(await unresolvedRule(db)).toHaveLength(1);
      expect((await acknowledgeEscalationById(ctxAt(db, at(11)), 'esc-c')).ok).toBe(true);
      expect((await resolveEscalationById(ctxAt(db, at(12)), 'esc-c', 'handled on site')).ok).toBe(true);
      expect(await getEscalation(db, 'esc-c')).toMatchObject({ state: 'resolved', resolution: 'resolved', resolutionNote: 'handled on site' });
      expect(await unresolvedRule(db)).toHaveLength(0);
    } finally {
      await store.close();
    }
  });
});

/** `store`, with inserts into the escalations collection passing through `gate`. */
function gatedStore(store: Store, gate: LevelGate): Store {
  return withEscalationsCollection(store, (c) => overriding(c, { insert: (doc: EscalationDoc) => gate.enter(doc.level, () => c.insert(doc)) }));
}

describe('two rule requests made at different instants whose sweeps both open at once', () => {
  let hub: ProbeFixture;
  let smtp: SmtpFake;

  beforeAll(async () => {
    hub = await probeFixture('rule-open-once');
    smtp = await startSmtpFake();
  });
  afterAll(async () => {
    await hub?.close();
    await smtp?.close();
  });

  const noticesSent = async (t: ProbeTenant, escalationId: string) => (await t.notifications({ escalationId })).map((n) => [n.templateKey, n.personId]).sort();

  /** A milestone with no escalation, under a policy whose levels climb the owner's management chain. */
  async function world(slug: string) {
    const t = await hub.tenant(slug);
    await t.connection({ connector: 'email', config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme <projects@acme.in>' }, credentials: {} });
    const director = await t.person({ name: 'Dinesh Director', email: 'dinesh@acme.in', channels: ['email'] });
    const manager = await t.person({ name: 'Meera Manager', email: 'meera@acme.in', channels: ['email'], managerId: director });
    const owner = await t.person({ name: 'Asha Owner', email: 'asha@acme.in', channels: ['email'], managerId: manager });
    const projectId = await t.project({ client: { name: 'Sharma Builders', stateCode: '27' } });
    await expectStatus(
      t.call('PUT', '/v1/escalation-policies/default', { name: 'Site policy', policy: { levels: ESCALATION_LEVELS, triggers: [{ type: 'disputed' }], sla: { acknowledgeWithin: 'PT4H' }, earlyWarning: { enabled: false } } }),
      200,
    );
    const m = await t.milestone(projectId, owner, { title: 'Tower crane hire' });
    return { t, m, owner, manager, director };
  }

  const hook = () => escalationEventsHook({ store: hub.deps.store, now: hub.now });
  const request = (t: ProbeTenant, milestoneId: string, level: number, n: string) =>
    hook()({
      id: `evt-${milestoneId}-${n}`,
      type: 'escalation.requested',
      at: hub.now(),
      tenantId: t.id,
      aggregate: { type: 'milestone', id: milestoneId },
      actor: { kind: 'system', id: 'rules' },
      data: { trigger: 'milestone.updated', ruleId: `rule-${level}`, level },
    });

  /** A request for each of `levels`, a minute apart, each followed by a sweep; both sweeps decide to open before either writes, and write in `order`. */
  async function racingOpeners(t: ProbeTenant, milestoneId: string, levels: readonly number[], order: readonly number[]): Promise<EscalationSweepResult[]> {
    const gate = new LevelGate();
    const deps = { store: gatedStore(hub.deps.store, gate), queues: hub.queues, now: hub.now, publicUrl: hub.publicUrl };
    const sweeps: Array<Promise<EscalationSweepResult>> = [];
    for (const [i, level] of levels.entries()) {
      hub.advance(60_000);
      await request(t, milestoneId, level, String(i));
      sweeps.push(runEscalationSweep(deps, { tenantIds: [t.id], milestoneIds: [milestoneId] }));
      await waitFor(() => gate.held.length === i + 1, 20_000, `sweep ${i + 1} at its insert`);
    }
    const [results] = await Promise.all([Promise.all(sweeps), gate.release(order)]);
    return results;
  }

  it('opens at level 2 and raises to 3 when the level-2 insert lands first, each level noticed once', async () => {
    const { t, m, manager, director } = await world('once-up');
    const swept = await racingOpeners(t, m.id, [2, 3], [2, 3]);
    expect(swept.map((s) => [s.opened, s.raised])).toEqual([
      [1, 0],
      [0, 1],
    ]);

    const [only, ...others] = await escalationsOf(t, m.id);
    expect(others).toHaveLength(0);
    expect(only).toMatchObject({ trigger: 'rule', state: 'open', level: 3 });
    expect(only).not.toHaveProperty('openKey');
    expect(only!.history.map((h) => [h.type, h.level])).toEqual([
      ['opened', 2],
      ['raised', 3],
    ]);
    expect(only!.notices.map((n) => n.level)).toEqual([2, 3]);
    expect(await noticesSent(t, only!.id)).toEqual(
      [
        ['escalation.level-2', manager],
        ['escalation.level-3', director],
      ].sort(),
    );
    const again = await runEscalationSweep({ ...hub.deps, publicUrl: hub.publicUrl }, { tenantIds: [t.id] });
    expect([again.opened, again.raised]).toEqual([0, 0]);
  });

  it('opens at level 3 and leaves it there when the level-3 insert lands first, noticing level 2 to nobody', async () => {
    const { t, m, director } = await world('once-down');
    const swept = await racingOpeners(t, m.id, [2, 3], [3, 2]);
    expect(swept.map((s) => [s.opened, s.raised])).toEqual([
      [0, 0],
      [1, 0],
    ]);

    const [only, ...others] = await escalationsOf(t, m.id);
    expect(others).toHaveLength(0);
    expect(only).toMatchObject({ trigger: 'rule', state: 'open', level: 3 });
    expect(only!.history.map((h) => [h.type, h.level])).toEqual([['opened', 3]]);
    expect(only!.notices.map((n) => n.level)).toEqual([3]);
    expect(await noticesSent(t, only!.id)).toEqual([['escalation.level-3', director]]);
  });

  it('opens a new escalation for a request made after a person resolved the one the race left', async () => {
    const { t, m, owner } = await world('once-again');
    await racingOpeners(t, m.id, [2, 3], [2, 3]);
    const [first] = await escalationsOf(t, m.id);
    await expectStatus(t.call('POST', `/v1/escalations/${first!.id}/resolve`, {}), 200);

    hub.advance(60_000);
    await request(t, m.id, 1, 'after');
    const swept = await runEscalationSweep({ ...hub.deps, publicUrl: hub.publicUrl }, { tenantIds: [t.id], milestoneIds: [m.id] });
    expect(swept.opened).toBe(1);

    const items = await escalationsOf(t, m.id);
    expect(items.map((e) => e.state).sort()).toEqual(['open', 'resolved']);
    const next = items.find((e) => e.state === 'open')!;
    expect(next.id).not.toBe(first!.id);
    expect(next).toMatchObject({ level: 1, causeKey: `rule:${hub.now().toISOString()}` });
    expect(await noticesSent(t, next.id)).toEqual([['escalation.level-1', owner]]);
  });
});
