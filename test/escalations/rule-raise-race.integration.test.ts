import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  escalationSignalsCollection,
  escalationsCollection,
  openEscalation,
  recordEscalationAction,
  requestRuleEscalation,
  resolveEscalationById,
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

/** A fresh in-memory embedded store and one tenant's view of it. */
function tenantStore(): TenantStore {
  return createStore(createNedbStore({ dir: '', inMemory: true }), { now: () => T0 }).forTenant('tenant-race');
}

/** Stores an open rule escalation of `m-1` at `level`, opened for a request made at T0. */
async function openRuleEscalation(db: TenantStore, level: number): Promise<EscalationDoc> {
  const { id, ...state } = openEscalation({ id: 'esc-1', milestoneId: 'm-1', trigger: 'rule', causeKey: `rule:${T0.toISOString()}`, at: T0, level });
  return db.collection(escalationsCollection).insert({ _id: id, ...state, projectId: 'p-1', policyKey: 'default', notices: [] });
}

/** The raise a sweep decides when a rule asked for `toLevel` while `current` is open. */
const ruleRaise = (current: EscalationDoc, toLevel: number, when: Date): Extract<EscalationAction, { type: 'raise' }> => ({
  type: 'raise',
  key: `${current._id}:level-${toLevel}`,
  escalationId: current._id,
  milestoneId: current.milestoneId,
  trigger: 'rule',
  fromLevel: current.level,
  toLevel,
  reason: 'rule_requested',
  at: when,
  notify: ['owner'],
  templateKey: 'escalation.level-1',
});

const raise = (db: TenantStore, current: EscalationDoc, toLevel: number, when: Date) => recordEscalationAction(db, ruleRaise(current, toLevel, when), { projectId: 'p-1', policyKey: 'default', current });

describe('raising a rule escalation from a reading others have changed since', () => {
  for (const order of [
    [2, 3],
    [3, 2],
  ]) {
    it(`ends at the highest level asked for, whichever write lands first (${order.join(' then ')})`, async () => {
      const db = tenantStore();
      const current = await openRuleEscalation(db, 1);
      // Both raises were decided from the same level-1 reading.
      const written = await Promise.all(order.map((level, i) => raise(db, current, level, at(i + 1))));

      const stored = (await db.collection(escalationsCollection).findById(current._id))!;
      expect(stored).toMatchObject({ state: 'open', level: 3 });
      // Each level is reached by one write only, and a lower level never follows a higher one.
      const raised = stored.history.filter((h) => h.type === 'raised').map((h) => h.level);
      expect(raised.at(-1)).toBe(3);
      expect(raised).toEqual([...new Set(raised)].sort((a, b) => a - b));
      expect(written.flatMap((w) => (w ? [w.level] : [])).sort((a, b) => a - b)).toEqual(raised);
    });
  }

  it('raises once when the same level is asked for twice at once', async () => {
    const db = tenantStore();
    const current = await openRuleEscalation(db, 1);
    const written = await Promise.all([raise(db, current, 3, at(1)), raise(db, current, 3, at(1))]);
    expect(written.filter((w) => w !== null)).toHaveLength(1);
    const stored = (await db.collection(escalationsCollection).findById(current._id))!;
    expect(stored.history.map((h) => [h.type, h.level])).toEqual([
      ['opened', 1],
      ['raised', 3],
    ]);
  });

  it('changes nothing for the same or a lower level, even when decided from an older reading', async () => {
    const db = tenantStore();
    const earlier = await openRuleEscalation(db, 1);
    const current = (await raise(db, earlier, 2, at(1)))!;
    expect(current).toMatchObject({ level: 2 });
    expect(await raise(db, current, 2, at(2))).toBeNull();
    expect(await raise(db, earlier, 2, at(2))).toBeNull();
    expect(await raise(db, current, 1, at(2))).toBeNull();
    expect(await db.collection(escalationsCollection).findById(current._id)).toEqual(current);
  });

  it('does not reopen an escalation a person resolved after the raise was decided', async () => {
    const db = tenantStore();
    const current = await openRuleEscalation(db, 1);
    const resolved = await resolveEscalationById({ db, now: () => at(1), actor: { kind: 'user', id: 'u-1' } }, current._id);
    expect(resolved.ok).toBe(true);
    expect(await raise(db, current, 3, at(2))).toBeNull();
    expect(await db.collection(escalationsCollection).findById(current._id)).toMatchObject({ state: 'resolved', level: 1 });
  });

  it('returns an escalation acknowledged since the raise was decided to open, at the higher level', async () => {
    const db = tenantStore();
    const opened = await openRuleEscalation(db, 1);
    await db.collection(escalationsCollection).updateOne({ _id: opened._id }, { $set: { state: 'acknowledged', acknowledgedAt: at(1), acknowledgedBy: 'user:u-1' } });
    const written = await raise(db, opened, 2, at(2));
    expect(written).toMatchObject({ state: 'open', level: 2, levelSince: at(2) });
    expect(written).not.toHaveProperty('acknowledgedAt');
    expect(written).not.toHaveProperty('acknowledgedBy');
  });
});

describe("recording a business rule's escalate requests that arrive together", () => {
  const signal = async (db: TenantStore) => db.collection(escalationSignalsCollection).findOne({ milestoneId: 'm-1' });

  for (const order of [
    [2, 3],
    [3, 2],
  ]) {
    it(`keeps the higher of two requests made at once while none is open (${order.join(' then ')})`, async () => {
      const db = tenantStore();
      await Promise.all(order.map((level) => requestRuleEscalation(db, 'm-1', at(1), level)));
      expect(await signal(db)).toMatchObject({ ruleEscalatedAt: at(1), ruleEscalationLevel: 3 });
    });

    it(`keeps the highest request while one is open (${order.join(' then ')})`, async () => {
      const db = tenantStore();
      await openRuleEscalation(db, 1);
      await Promise.all(order.map((level, i) => requestRuleEscalation(db, 'm-1', at(i + 1), level)));
      expect(await signal(db)).toMatchObject({ ruleEscalatedAt: at(2), ruleEscalationLevel: 3 });
    });
  }

  it('lets the latest request name the level while none is open, and an earlier one recorded late changes nothing', async () => {
    const db = tenantStore();
    await requestRuleEscalation(db, 'm-1', at(1), 3);
    await requestRuleEscalation(db, 'm-1', at(2), 1);
    expect(await signal(db)).toMatchObject({ ruleEscalatedAt: at(2), ruleEscalationLevel: 1 });
    await requestRuleEscalation(db, 'm-1', at(1), 3);
    await requestRuleEscalation(db, 'm-1', at(2), 1);
    expect(await signal(db)).toMatchObject({ ruleEscalatedAt: at(2), ruleEscalationLevel: 1 });
  });

  it('records a request beside signals the milestone already has', async () => {
    const db = tenantStore();
    await db.collection(escalationSignalsCollection).insert({ milestoneId: 'm-1', disputedAt: T0 });
    await Promise.all([requestRuleEscalation(db, 'm-1', at(1), 2), requestRuleEscalation(db, 'm-1', at(1), 3)]);
    expect(await signal(db)).toMatchObject({ disputedAt: T0, ruleEscalatedAt: at(1), ruleEscalationLevel: 3 });
    expect(await db.collection(escalationSignalsCollection).count({ milestoneId: 'm-1' })).toBe(1);
  });
});

/** `store`, with writes to the escalations collection that set a level passing through `gate`. */
function gatedStore(store: Store, gate: LevelGate): Store {
  return withEscalationsCollection(store, (c) => {
    const gated =
      (op: 'updateOne' | 'findOneAndUpdate') =>
      (filter: Record<string, unknown>, update: Update, options?: object) => {
        const level = update.$set?.['level'];
        const write = () => c[op](filter, update, options);
        return typeof level === 'number' ? gate.enter(level, write) : write();
      };
    return overriding(c, { updateOne: gated('updateOne'), findOneAndUpdate: gated('findOneAndUpdate') });
  });
}

let hub: ProbeFixture;
let smtp: SmtpFake;

beforeAll(async () => {
  hub = await probeFixture('rule-raise-race');
  smtp = await startSmtpFake();
});
afterAll(async () => {
  await hub?.close();
  await smtp?.close();
});



/** A milestone whose rule escalation is open at level 1, with its level-1 notice sent and no sweep pending. */
async function openAtLevelOne(slug: string) {
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
  await expectStatus(
    t.call('POST', '/v1/rules', {
      id: 'slipping',
      name: 'Escalate slipping work',
      when: { event: 'milestone.updated', condition: { all: [{ fact: 'percentComplete', operator: 'lessThan', value: 50 }] } },
      then: [{ type: 'escalate', level: 1 }],
    }),
    201,
  );
  const m = await t.milestone(projectId, owner, { title: 'Tower crane hire' });
  await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { percentComplete: 40 }), 200);
  const first = await waitFor(async () => {
    const items = await escalationsOf(t, m.id);
    return items.length === 1 && items[0]!.level === 1 && items[0]!.notices.length === 1 && items[0];
  }, 20_000, 'rule escalation at level 1');
  await waitFor(async () => {
    const counts = await hub.queues.get('escalations').getJobCounts('wait', 'active', 'delayed', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  }, 20_000, 'escalations queue idle');
  return { t, m, first, owner, manager, director };
}

/**
 * Two `escalation.requested` events for the milestone, at `levels`, each followed by a sweep of
 * it; both sweeps read and decide before either writes, and their writes land in `order`.
 */
async function interleavedRequests(t: ProbeTenant, milestoneId: string, levels: readonly number[], order: readonly number[]): Promise<EscalationSweepResult[]> {
  const gate = new LevelGate();
  const deps = { store: gatedStore(hub.deps.store, gate), queues: hub.queues, now: hub.now, publicUrl: hub.publicUrl };
  // Without queues the hook records the request and enqueues no sweep: the test runs them.
  const hook = escalationEventsHook({ store: hub.deps.store, now: hub.now });
  const sweeps: Array<Promise<EscalationSweepResult>> = [];
  for (const [i, level] of levels.entries()) {
    hub.advance(60_000);
    await hook({
      id: `evt-${milestoneId}-${i}`,
      type: 'escalation.requested',
      at: hub.now(),
      tenantId: t.id,
      aggregate: { type: 'milestone', id: milestoneId },
      actor: { kind: 'system', id: 'rules' },
      data: { trigger: 'milestone.updated', ruleId: `rule-${level}`, level },
    });
    sweeps.push(runEscalationSweep(deps, { tenantIds: [t.id], milestoneIds: [milestoneId] }));
    await waitFor(() => gate.held.length === i + 1, 20_000, `sweep ${i + 1} at its write`);
  }
  const [results] = await Promise.all([Promise.all(sweeps), gate.release(order)]);
  return results;
}

/** The escalation notifications recorded about `escalationId`, as [template, person]. */
const noticesSent = async (t: ProbeTenant, escalationId: string) => (await t.notifications({ escalationId })).map((n) => [n.templateKey, n.personId]).sort();

describe('two rule requests for different levels whose sweeps run at once', () => {
  it('raises to 2 and then 3 when the level-2 write lands first, each level noticed once', async () => {
    const { t, m, first, owner, manager, director } = await openAtLevelOne('race-up');
    const swept = await interleavedRequests(t, m.id, [2, 3], [2, 3]);
    expect(swept.map((s) => s.raised)).toEqual([1, 1]);

    const [after, ...others] = await escalationsOf(t, m.id);
    expect(others).toHaveLength(0);
    expect(after).toMatchObject({ id: first.id, state: 'open', level: 3 });
    expect(after!.history.map((h) => [h.type, h.level])).toEqual([
      ['opened', 1],
      ['raised', 2],
      ['raised', 3],
    ]);
    expect(after!.notices.map((n) => n.level)).toEqual([1, 2, 3]);
    expect(await noticesSent(t, first.id)).toEqual(
      [
        ['escalation.level-1', owner],
        ['escalation.level-2', manager],
        ['escalation.level-3', director],
      ].sort(),
    );
    expect((await runEscalationSweep({ ...hub.deps, publicUrl: hub.publicUrl }, { tenantIds: [t.id] })).raised).toBe(0);
  });

  it('leaves level 3 in place when the level-2 write lands after it, and notices level 2 to nobody', async () => {
    const { t, m, first, owner, director } = await openAtLevelOne('race-down');
    const swept = await interleavedRequests(t, m.id, [2, 3], [3, 2]);
    expect(swept.map((s) => s.raised)).toEqual([0, 1]);

    const [after] = await escalationsOf(t, m.id);
    expect(after).toMatchObject({ id: first.id, state: 'open', level: 3 });
    expect(after!.history.map((h) => [h.type, h.level])).toEqual([
      ['opened', 1],
      ['raised', 3],
    ]);
    expect(after!.notices.map((n) => n.level)).toEqual([1, 3]);
    expect(await noticesSent(t, first.id)).toEqual(
      [
        ['escalation.level-1', owner],
        ['escalation.level-3', director],
      ].sort(),
    );
  });

  it('raises and notices once when the same level is asked for twice', async () => {
    const { t, m, first, owner, director } = await openAtLevelOne('race-same');
    const swept = await interleavedRequests(t, m.id, [3, 3], [3, 3]);
    expect(swept.map((s) => s.raised).sort()).toEqual([0, 1]);

    const [after] = await escalationsOf(t, m.id);
    expect(after).toMatchObject({ id: first.id, level: 3 });
    expect(after!.history.filter((h) => h.type === 'raised')).toHaveLength(1);
    expect(after!.notices.map((n) => n.level)).toEqual([1, 3]);
    expect(await noticesSent(t, first.id)).toEqual(
      [
        ['escalation.level-1', owner],
        ['escalation.level-3', director],
      ].sort(),
    );
  });
});
