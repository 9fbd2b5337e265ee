import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  escalationsCollection,
  getEscalation,
  listEscalations,
  openEscalation,
  owingEscalation,
  recordEscalationAction,
  resolveEscalationById,
  settleOwedNotice,
  type EscalationAction,
  type EscalationDoc,
} from '../../core/escalations/index.ts';
import { createNedbStore, createStore, type Collection, type Store, type TenantStore, type Update } from '../../core/store/index.ts';
import { ESCALATION_MILESTONES_JOB, escalationEventsHook, runEscalationSweep, type EscalationDeps, type EscalationSweepResult } from '../../queues/escalations/index.ts';
import type { HubQueues } from '../../queues/index.ts';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp/index.ts';
import { expectStatus, HOUR, probeFixture, waitFor, type ProbeFixture, type ProbeTenant } from '../probes/probe-fixture.ts';
import { type Escalation, escalationsOf, overriding, withEscalationsCollection } from './escalation-test-kit.ts';

/** A write to the escalations collection, as a fault below sees it. */
interface EscalationWrite {
  op: 'insert' | 'updateOne';
  doc?: EscalationDoc;
  update?: Update;
}

/**
 * `store`, where the first write to the escalations collection that `matches` fails once: before
 * it reaches the store (`before`), or after it was stored, as when the process stops right after
 * the write (`after`).
 */
function faultyStore(store: Store, matches: (write: EscalationWrite) => boolean, when: 'before' | 'after'): Store & { failed: () => boolean } {
  let failed = false;
  const fault = async <R>(write: EscalationWrite, run: () => Promise<R>): Promise<R> => {
    if (failed || !matches(write)) return run();
    failed = true;
    if (when === 'before') throw new Error('escalation write failed');
    await run();
    throw new Error('stopped after the escalation write');
  };
  const faulty = withEscalationsCollection(store, (c) =>
    overriding(c, {
      insert: (doc: EscalationDoc) => fault({ op: 'insert', doc }, () => c.insert(doc)),
      updateOne: (filter: Record<string, unknown>, update: Update, options?: object) => fault({ op: 'updateOne', update }, () => c.updateOne(filter, update, options)),
    }),
  );
  return overriding(faulty, { failed: () => failed }) as Store & { failed: () => boolean };
}

/** `queues`, whose `notify` queue refuses the first job added to it. */
function notifyAddFailsOnce(queues: HubQueues): Pick<HubQueues, 'get'> & { failed: () => boolean } {
  let failed = false;
  return {
    failed: () => failed,
    get: ((name: Parameters<HubQueues['get']>[0]) => {
      const queue = queues.get(name);
      if (name !== 'notify') return queue;
      return overriding(queue, {
        add: (...args: Parameters<typeof queue.add>) => {
          if (failed) return queue.add(...args);
          failed = true;
          return Promise.reject(new Error('Connection is closed.'));
        },
      });
    }) as HubQueues['get'],
  };
}

const setsLevel = (w: EscalationWrite) => w.op === 'updateOne' && typeof w.update?.$set?.['level'] === 'number';
const recordsNotice = (w: EscalationWrite) => w.op === 'updateOne' && w.update?.$push?.['notices'] !== undefined;

let hub: ProbeFixture;
let smtp: SmtpFake;

beforeAll(async () => {
  hub = await probeFixture('owed-notices');
  smtp = await startSmtpFake();
});
afterAll(async () => {
  await hub?.close();
  await smtp?.close();
});


const POLICY = {
  levels: [{ notify: ['owner'] }, { notify: ['owner.manager', 'owner'] }, { notify: ['owner.manager.manager'] }],
  triggers: [{ type: 'overdue' }],
  sla: { acknowledgeWithin: 'PT1H' },
  earlyWarning: { enabled: false },
};

/** A tenant with email, an owner → manager → director chain (addresses of their own), `policy` and an overdue milestone. */
async function world(slug: string, policy: unknown = POLICY) {
  const t = await hub.tenant(slug);
  const tag = randomUUID().slice(0, 6);
  const email = { owner: `asha.${tag}@acme.in`, manager: `meera.${tag}@acme.in`, director: `dinesh.${tag}@acme.in` };
  await t.connection({ connector: 'email', config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme <projects@acme.in>' }, credentials: {} });
  const director = await t.person({ name: 'Dinesh Director', email: email.director, channels: ['email'] });
  const manager = await t.person({ name: 'Meera Manager', email: email.manager, channels: ['email'], managerId: director });
  const owner = await t.person({ name: 'Asha Owner', email: email.owner, channels: ['email'], managerId: manager });
  const projectId = await t.project();
  await expectStatus(t.call('PUT', '/v1/escalation-policies/default', { name: 'Site policy', policy }), 200);
  const m = await t.milestone(projectId, owner, { title: 'Lift installation', dueDate: '2026-02-27' });
  return { t, m, owner, manager, director, email };
}

const realDeps = (): EscalationDeps => ({ store: hub.deps.store, queues: hub.queues, now: hub.now, publicUrl: hub.publicUrl });
const sweepMilestone = (deps: EscalationDeps, t: ProbeTenant, milestoneId: string) => runEscalationSweep(deps, { tenantIds: [t.id], milestoneIds: [milestoneId] });
/** The escalation notifications recorded about `escalationId`, as [template, person], sorted. */
const noticesSent = async (t: ProbeTenant, escalationId: string) => (await t.notifications({ escalationId })).map((n) => [n.templateKey, n.personId]).sort();
/** Mails delivered to `address` since `from` (an index into the fake's messages). */
const mailsTo = (address: string, from: number) => smtp.messages.slice(from).filter((x) => x.rcptTo.includes(address)).length;

/** Waits until every notification about the escalation is sent, then a little longer, so that a second send would show. */
async function allSent(t: ProbeTenant, escalationId: string, count: number): Promise<void> {
  await waitFor(async () => {
    const all = await t.notifications({ escalationId });
    return all.length === count && all.every((n) => n.status === 'sent');
  }, 20_000, `${count} notification(s) sent`);
  await new Promise((r) => setTimeout(r, 300));
}

/** The milestone's escalation open at level 1 with its notice delivered. */
async function openedAtLevelOne(t: ProbeTenant, milestoneId: string): Promise<Escalation> {
  expect((await sweepMilestone(realDeps(), t, milestoneId)).opened).toBe(1);
  const [e] = await escalationsOf(t, milestoneId);
  expect(e!.notices.map((n) => n.level)).toEqual([1]);
  await allSent(t, e!.id, 1);
  return e!;
}

describe('an escalation whose notices were not sent with the open or raise that owes them', () => {
  it('sends an open’s notice on the next sweep when the sweep stopped right after writing the open, once', async () => {
    const { t, m, owner, email } = await world('open-stopped');
    const mails = smtp.messages.length;
    const store = faultyStore(hub.deps.store, (w) => w.op === 'insert', 'after');
    await expect(sweepMilestone({ ...realDeps(), store }, t, m.id)).rejects.toThrow('stopped after the escalation write');
    expect(store.failed()).toBe(true);

    const [stopped] = await escalationsOf(t, m.id);
    expect(stopped).toMatchObject({ trigger: 'overdue', level: 1, state: 'open', notices: [] });
    expect(stopped).not.toHaveProperty('owedNotices');
    expect(await noticesSent(t, stopped!.id)).toEqual([]);

    // The next scheduled sweep, as the worker runs it.
    const next = await hub.runJob<EscalationSweepResult>('escalations', 'sweep');
    expect(next).toMatchObject({ opened: 0, raised: 0, notifications: 1 });
    const [e] = await escalationsOf(t, m.id);
    expect(e).toMatchObject({ id: stopped!.id, level: 1 });
    expect(e!.notices).toEqual([expect.objectContaining({ level: 1, refs: ['owner'], recipients: [owner] })]);
    expect(await noticesSent(t, e!.id)).toEqual([['escalation.level-1', owner]]);
    await allSent(t, e!.id, 1);
    expect(mailsTo(email.owner, mails)).toBe(1);

    const again = await sweepMilestone(realDeps(), t, m.id);
    expect(again).toMatchObject({ opened: 0, raised: 0, notifications: 0 });
    expect((await escalationsOf(t, m.id))[0]!.notices).toHaveLength(1);
    expect(await noticesSent(t, e!.id)).toHaveLength(1);
  });

  it('sends a raise’s notices to everyone on the retry when the notify queue refused one, each once', async () => {
    const { t, m, owner, manager, email } = await world('raise-add-fails');
    const opened = await openedAtLevelOne(t, m.id);
    hub.advance(HOUR + 60_000);
    const mails = smtp.messages.length;

    const queues = notifyAddFailsOnce(hub.queues);
    await expect(sweepMilestone({ ...realDeps(), queues }, t, m.id)).rejects.toThrow('Connection is closed.');
    expect(queues.failed()).toBe(true);
    const [failed] = await escalationsOf(t, m.id);
    expect(failed).toMatchObject({ level: 2, state: 'open' });
    expect(failed!.notices.map((n) => n.level)).toEqual([1]);

    // The job's retry: nothing left to raise, the level's notices still owed.
    const retry = await sweepMilestone(realDeps(), t, m.id);
    expect(retry).toMatchObject({ raised: 0, notifications: 2 });
    const [e] = await escalationsOf(t, m.id);
    expect(e!.history.map((h) => [h.type, h.level])).toEqual([
      ['opened', 1],
      ['raised', 2],
    ]);
    expect(e!.notices.map((n) => n.level)).toEqual([1, 2]);
    expect([...e!.notices[1]!.recipients].sort()).toEqual([manager, owner].sort());
    expect(await noticesSent(t, opened.id)).toEqual(
      [
        ['escalation.level-1', owner],
        ['escalation.level-2', manager],
        ['escalation.level-2', owner],
      ].sort(),
    );

    // The notification whose job was refused is queued again by the notify sweep, which repairs lost enqueues.
    await hub.queues.get('notify').add('sweep', {}, { jobId: `sweep-${randomUUID()}` });
    await allSent(t, opened.id, 3);
    expect(mailsTo(email.manager, mails)).toBe(1);
    expect(mailsTo(email.owner, mails)).toBe(1);
    expect((await sweepMilestone(realDeps(), t, m.id)).notifications).toBe(0);
    expect(await noticesSent(t, opened.id)).toHaveLength(3);
  });

  it('does not send a level twice when its notices went out but were not recorded', async () => {
    const { t, m, owner, email } = await world('notice-not-recorded');
    const mails = smtp.messages.length;
    const store = faultyStore(hub.deps.store, recordsNotice, 'before');
    await expect(sweepMilestone({ ...realDeps(), store }, t, m.id)).rejects.toThrow('escalation write failed');
    expect(store.failed()).toBe(true);
    const [unrecorded] = await escalationsOf(t, m.id);
    expect(unrecorded).toMatchObject({ level: 1, notices: [] });
    expect(await noticesSent(t, unrecorded!.id)).toEqual([['escalation.level-1', owner]]);

    const retry = await sweepMilestone(realDeps(), t, m.id);
    expect(retry).toMatchObject({ opened: 0, notifications: 1 });
    const [e] = await escalationsOf(t, m.id);
    expect(e!.notices).toEqual([expect.objectContaining({ level: 1, recipients: [owner] })]);
    expect(await noticesSent(t, e!.id)).toEqual([['escalation.level-1', owner]]);
    await allSent(t, e!.id, 1);
    const [sent] = await t.notifications({ escalationId: e!.id });
    expect(sent!.attempts).toHaveLength(1);
    expect(mailsTo(email.owner, mails)).toBe(1);
  });

  it('sends a rule’s raise on the retried job when the sweep stopped right after writing the raise, once', async () => {
    // The milestone is overdue, but this policy leaves that alone: only the rule escalates it.
    const { t, m, owner, director, email } = await world('rule-raise-stopped', { ...POLICY, triggers: [{ type: 'disputed' }] });
    // Without queues the hook records the request and enqueues no sweep: the test runs them.
    const hook = escalationEventsHook({ store: hub.deps.store, now: hub.now });
    const request = (level: number, n: number) =>
      hook({
        id: `evt-${m.id}-${n}`,
        type: 'escalation.requested',
        at: hub.now(),
        tenantId: t.id,
        aggregate: { type: 'milestone', id: m.id },
        actor: { kind: 'system', id: 'rules' },
        data: { trigger: 'milestone.updated', ruleId: `rule-${level}`, level },
      });
    hub.advance(60_000);
    await request(1, 1);
    const first = await openedAtLevelOne(t, m.id);
    expect(first.trigger).toBe('rule');

    hub.advance(60_000);
    await request(3, 2);
    const mails = smtp.messages.length;
    const store = faultyStore(hub.deps.store, setsLevel, 'after');
    await expect(sweepMilestone({ ...realDeps(), store }, t, m.id)).rejects.toThrow('stopped after the escalation write');
    expect(store.failed()).toBe(true);
    expect((await escalationsOf(t, m.id))[0]).toMatchObject({ level: 3, notices: [expect.objectContaining({ level: 1 })] });

    // The `sweep-milestones` job run again by the worker.
    const retried = await hub.runJob<EscalationSweepResult>('escalations', ESCALATION_MILESTONES_JOB, { tenantId: t.id, milestoneIds: [m.id] });
    expect(retried).toMatchObject({ raised: 0, notifications: 1 });
    const [e] = await escalationsOf(t, m.id);
    expect(e!.history.map((h) => [h.type, h.level])).toEqual([
      ['opened', 1],
      ['raised', 3],
    ]);
    expect(e!.notices.map((n) => [n.level, n.recipients])).toEqual([
      [1, [owner]],
      [3, [director]],
    ]);
    expect(await noticesSent(t, e!.id)).toEqual(
      [
        ['escalation.level-1', owner],
        ['escalation.level-3', director],
      ].sort(),
    );
    await allSent(t, e!.id, 2);
    expect(mailsTo(email.director, mails)).toBe(1);
  });
});

describe('owed notices as stored', () => {
  const T0 = new Date('2026-12-01T04:30:00Z');
  const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
  const tenantStore = (): TenantStore => createStore(createNedbStore({ dir: '', inMemory: true }), { now: () => T0 }).forTenant('tenant-owed');

  /** An open escalation as stored before notices were owed: no `owedNotices`. */
  async function storedBefore(db: TenantStore): Promise<EscalationDoc> {
    const { id, ...state } = openEscalation({ id: 'esc-1', milestoneId: 'm-1', trigger: 'overdue', causeKey: `overdue:${T0.toISOString()}`, at: T0, level: 1 });
    return db.collection(escalationsCollection).insert({ _id: id, ...state, projectId: 'p-1', policyKey: 'default', notices: [] });
  }

  const slaRaise = (current: EscalationDoc, when: Date): Extract<EscalationAction, { type: 'raise' }> => ({
    type: 'raise',
    key: `${current._id}:level-2`,
    escalationId: current._id,
    milestoneId: current.milestoneId,
    trigger: current.trigger,
    fromLevel: 1,
    toLevel: 2,
    reason: 'not_acknowledged',
    at: when,
    notify: ['owner.manager'],
    channels: ['email'],
    templateKey: 'escalation.level-2',
  });

  it('owe nothing on an escalation stored without them, and only the level a raise reaches after', async () => {
    const db = tenantStore();
    const before = await storedBefore(db);
    expect(await owingEscalation(db, before._id)).toBeNull();

    const raised = (await recordEscalationAction(db, slaRaise(before, at(61)), { projectId: 'p-1', policyKey: 'default', current: before }))!;
    expect(raised.owedNotices).toEqual([{ level: 2, at: at(61), refs: ['owner.manager'], channels: ['email'], templateKey: 'escalation.level-2' }]);
    expect((await owingEscalation(db, before._id))?.owedNotices).toHaveLength(1);
    for (const shown of [await getEscalation(db, before._id), ...(await listEscalations(db))]) expect(shown).not.toHaveProperty('owedNotices');

    const notice = { level: 2, at: at(61), refs: ['owner.manager' as const], recipients: ['per-2'], notificationIds: ['ntf-2'], unresolved: [] };
    expect(await settleOwedNotice(db, before._id, notice)).toBe(true);
    expect(await settleOwedNotice(db, before._id, notice)).toBe(false);
    const settled = (await db.collection(escalationsCollection).findById(before._id))!;
    expect(settled.owedNotices).toEqual([]);
    expect(settled.notices).toEqual([notice]);
    expect(await owingEscalation(db, before._id)).toBeNull();
  });

  it('are written with the open, and dropped when the escalation is resolved', async () => {
    const db = tenantStore();
    const opened = (await recordEscalationAction(
      db,
      { type: 'open', key: 'm-1:overdue', milestoneId: 'm-1', trigger: 'overdue', causeKey: `overdue:${T0.toISOString()}`, level: 1, at: T0, notify: ['owner'], templateKey: 'escalation.level-1' },
      { projectId: 'p-1', policyKey: 'default' },
    ))!;
    expect(opened.owedNotices).toEqual([{ level: 1, at: T0, refs: ['owner'], templateKey: 'escalation.level-1' }]);
    const resolved = await resolveEscalationById({ db, now: () => at(5), actor: { kind: 'user', id: 'u-1' } }, opened._id);
    expect(resolved.ok && resolved.value).not.toHaveProperty('owedNotices');
    expect(await db.collection(escalationsCollection).findById(opened._id)).not.toHaveProperty('owedNotices');
    expect(await owingEscalation(db, opened._id)).toBeNull();
  });
});
