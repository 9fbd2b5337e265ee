import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../core/domain/index.ts';
import { escalationSignalsCollection, type EscalationDoc } from '../../core/escalations/index.ts';
import { newId } from '../../core/store/index.ts';
import { ESCALATION_MILESTONES_JOB, escalationEventsHook, type EscalationSweepResult } from '../../queues/escalations/index.ts';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp/index.ts';
import { ESCALATION_LEVELS, expectStatus, HOUR, probeFixture, waitFor, type ProbeFixture, type ProbeTenant } from '../probes/probe-fixture.ts';
import { escalationsOf, type Escalation } from './escalation-test-kit.ts';

let hub: ProbeFixture;
let smtp: SmtpFake;

beforeAll(async () => {
  hub = await probeFixture('rule-raise');
  smtp = await startSmtpFake();
});
afterAll(async () => {
  await hub?.close();
  await smtp?.close();
});

const POLICY = {
  levels: ESCALATION_LEVELS,
  triggers: [{ type: 'disputed' }],
  sla: { acknowledgeWithin: 'PT4H' },
  earlyWarning: { enabled: false },
};

/** A business rule that escalates a milestone whose percent complete matches, at `level`. */
const escalateWhen = (id: string, operator: string, value: number, level: number) => ({
  id,
  name: `Escalate ${id}`,
  when: { event: 'milestone.updated', condition: { all: [{ fact: 'percentComplete', operator, value }] } },
  then: [{ type: 'escalate', level }],
});

/** A tenant with email, an owner → manager → director chain, a project with a client contact, the policy and `rules`. */
async function world(slug: string, rules: unknown[]) {
  const t = await hub.tenant(slug);
  await t.connection({ connector: 'email', config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme <projects@acme.in>' }, credentials: {} });
  const director = await t.person({ name: 'Dinesh Director', email: 'dinesh@acme.in', channels: ['email'] });
  const manager = await t.person({ name: 'Meera Manager', email: 'meera@acme.in', channels: ['email'], managerId: director });
  const owner = await t.person({ name: 'Asha Owner', email: 'asha@acme.in', channels: ['email'], managerId: manager });
  const projectId = await t.project({ client: { name: 'Sharma Builders', stateCode: '27', contacts: [{ name: 'Rohit Sharma', email: 'rohit@sharma.in' }] } });
  await expectStatus(t.call('PUT', '/v1/escalation-policies/default', { name: 'Site policy', policy: POLICY }), 200);
  for (const rule of rules) await expectStatus(t.call('POST', '/v1/rules', rule), 201);
  return { t, director, manager, owner, projectId };
}


const sweep = () => hub.runJob<EscalationSweepResult>('escalations', 'sweep');

/** Waits for the milestone's one escalation to reach `level` with `notices` notices recorded. */
const escalationAt = (t: ProbeTenant, milestoneId: string, level: number, notices: number): Promise<Escalation> =>
  waitFor(async () => {
    const items = await escalationsOf(t, milestoneId);
    return items.length === 1 && items[0]!.level === level && items[0]!.notices.length === notices && items[0];
  }, 20_000, `escalation at level ${level} with ${notices} notice(s)`);

/** Waits until no job of the escalations queue is waiting or running (the event sweeps are done). */
const escalationsQueueIdle = () =>
  waitFor(async () => {
    const counts = await hub.queues.get('escalations').getJobCounts('wait', 'active', 'delayed', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  }, 20_000, 'escalations queue idle');

/** The `escalation.requested` event a rule's escalate action emits for `milestoneId`. */
const ruleRequest = (t: ProbeTenant, milestoneId: string, ruleId: string, level: number): DomainEvent => ({
  id: newId('evt'),
  type: 'escalation.requested',
  at: hub.now(),
  tenantId: t.id,
  aggregate: { type: 'milestone', id: milestoneId },
  actor: { kind: 'system', id: 'rules' },
  data: { trigger: 'milestone.updated', ruleId, level },
});

/** The escalation notifications sent about `escalationId`, by template. */
const noticesSent = async (t: ProbeTenant, escalationId: string) => (await t.notifications({ escalationId })).map((n) => [n.templateKey, n.personId]);

describe("a business rule's escalate request while the milestone's rule escalation is open", () => {
  it('raises an open level-1 escalation to level 3 and notifies the level-3 recipients', async () => {
    const { t, owner, director, projectId } = await world('raise', [escalateWhen('slipping', 'lessThan', 50, 1), escalateWhen('stalled', 'lessThan', 20, 3)]);
    const m = await t.milestone(projectId, owner, { title: 'Tower crane hire' });

    await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { percentComplete: 40 }), 200);
    const first = await escalationAt(t, m.id, 1, 1);
    expect(first).toMatchObject({ trigger: 'rule', state: 'open' });
    expect(first.notices[0]).toMatchObject({ level: 1, recipients: [owner], refs: ['owner'] });

    // Both rules fire now: `slipping` asks for level 1 again, `stalled` for level 3.
    hub.advance(60_000);
    const mails = smtp.messages.length;
    await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { percentComplete: 10 }), 200);
    const raised = await escalationAt(t, m.id, 3, 2);
    expect(raised).toMatchObject({ id: first.id, trigger: 'rule', state: 'open', levelSince: hub.now().toISOString() });
    expect(raised.history.map((h) => [h.type, h.level, h.reason])).toEqual([
      ['opened', 1, 'rule'],
      ['raised', 3, 'rule_requested'],
    ]);
    expect(raised.notices[1]).toMatchObject({ level: 3, recipients: [director], refs: ['owner.manager.manager'], unresolved: [] });

    const sent = await t.settled(raised.notices[1]!.notificationIds[0]!, ['sent']);
    expect(sent).toMatchObject({ templateKey: 'escalation.level-3', personId: director, escalationId: first.id, purpose: 'escalation', channel: 'email' });
    const mail = await waitFor(async () => smtp.messages.slice(mails).find((x) => x.rcptTo.includes('dinesh@acme.in')), 20_000, 'level-3 mail');
    expect(mail.raw.toString('utf8')).toContain('Tower crane hire');
    // Level 2 was passed over: the manager heard nothing about this escalation.
    expect((await noticesSent(t, first.id)).sort()).toEqual([
      ['escalation.level-1', owner],
      ['escalation.level-3', director],
    ]);
    expect((await t.db.collection(escalationSignalsCollection).findOne({ milestoneId: m.id }))?.ruleEscalationLevel).toBe(3);
  });

  it('leaves a level-2 escalation as it is when a rule asks for level 1', async () => {
    const { t, owner, manager, projectId } = await world('lower', [escalateWhen('stalled', 'lessThan', 20, 2), escalateWhen('nearly-there', 'greaterThan', 70, 1)]);
    const m = await t.milestone(projectId, owner, { title: 'Façade glazing' });
    await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { percentComplete: 10 }), 200);
    const before = await escalationAt(t, m.id, 2, 1);
    expect(before.notices[0]).toMatchObject({ level: 2, recipients: [manager] });

    hub.advance(60_000);
    const requestedAt = hub.now();
    await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { percentComplete: 80 }), 200);
    // The level-1 request reached the milestone's signals; its sweep, and one more, changed nothing.
    const signals = await waitFor(async () => {
      const s = await t.db.collection(escalationSignalsCollection).findOne({ milestoneId: m.id });
      return s?.ruleEscalatedAt?.getTime() === requestedAt.getTime() && s;
    }, 20_000, 'level-1 request recorded');
    expect(signals.ruleEscalationLevel).toBe(2);
    await escalationsQueueIdle();
    const swept = await sweep();
    expect(swept.raised).toBe(0);

    const [after, ...others] = await escalationsOf(t, m.id);
    expect(others).toHaveLength(0);
    expect(after).toEqual(before);
    expect(await noticesSent(t, before.id)).toEqual([['escalation.level-2', manager]]);
  });

  it('raises once when the same request is delivered twice', async () => {
    const { t, owner, director, projectId } = await world('redelivery', [escalateWhen('slipping', 'lessThan', 50, 1)]);
    const m = await t.milestone(projectId, owner, { title: 'Lift installation' });
    await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { percentComplete: 40 }), 200);
    const first = await escalationAt(t, m.id, 1, 1);

    hub.advance(60_000);
    const hook = escalationEventsHook(hub.deps);
    const request = ruleRequest(t, m.id, 'stalled', 3);
    await hook(request);
    const raised = await escalationAt(t, m.id, 3, 2);

    // Delivered again, with sweeps running beside it.
    hub.advance(60_000);
    const [, ...sweeps] = await Promise.all([hook(request), sweep(), sweep()]);
    await escalationsQueueIdle();
    sweeps.push(await sweep());
    expect(sweeps.map((s) => s.raised)).toEqual([0, 0, 0]);

    const [after, ...others] = await escalationsOf(t, m.id);
    expect(others).toHaveLength(0);
    expect(after).toEqual(raised);
    expect(after!.history.filter((h) => h.type === 'raised')).toHaveLength(1);
    expect(after!.notices.map((n) => n.level)).toEqual([1, 3]);
    expect((await noticesSent(t, first.id)).sort()).toEqual([
      ['escalation.level-1', owner],
      ['escalation.level-3', director],
    ]);
  });
});

/** Resolves `escalationId` as a person does, through the API. */
const resolveByHand = (t: ProbeTenant, escalationId: string) => expectStatus<Escalation>(t.call('POST', `/v1/escalations/${escalationId}/resolve`, { note: 'Handled on site' }), 200);

/** A sweep of the milestone alone, as an event trigger runs it. */
const sweepMilestone = (t: ProbeTenant, milestoneId: string) => hub.runJob<EscalationSweepResult>('escalations', ESCALATION_MILESTONES_JOB, { tenantId: t.id, milestoneIds: [milestoneId] });

/** Waits for the milestone's signals to hold the request made at `at`. */
const requestRecorded = (t: ProbeTenant, milestoneId: string, at: Date) =>
  waitFor(async () => {
    const s = await t.db.collection(escalationSignalsCollection).findOne({ milestoneId });
    return s?.ruleEscalatedAt?.getTime() === at.getTime() && s;
  }, 20_000, 'rule request recorded');

describe("a business rule's requests once a person resolved its escalation", () => {
  const variants = [
    { asked: 'the same level', percent: 45, level: 1, notices: 1 },
    { asked: 'a higher level', percent: 10, level: 3, notices: 2 },
  ];
  for (const { asked, percent, level, notices } of variants) {
    it(`opens nothing for a request made while it was open (${asked}), and a new escalation for one made after`, async () => {
      const { t, owner, projectId } = await world(`resolved-${level}`, [escalateWhen('slipping', 'lessThan', 50, 1), escalateWhen('stalled', 'lessThan', 20, 3)]);
      const m = await t.milestone(projectId, owner, { title: 'Podium slab' });
      await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { percentComplete: 40 }), 200);
      const first = await escalationAt(t, m.id, 1, 1);

      // The rule fires again while the escalation is open.
      hub.advance(60_000);
      const whileOpen = hub.now();
      await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { percentComplete: percent }), 200);
      await requestRecorded(t, m.id, whileOpen);
      await escalationAt(t, m.id, level, notices);
      await escalationsQueueIdle();

      hub.advance(60_000);
      const resolved = await resolveByHand(t, first.id);
      expect(resolved).toMatchObject({ state: 'resolved', resolution: 'resolved' });

      // No rule fired since: neither the scheduled sweep nor a sweep of the milestone opens anything.
      hub.advance(60_000);
      const swept = [await sweep(), await sweepMilestone(t, m.id), await sweep()];
      expect(swept.map((s) => s.opened)).toEqual([0, 0, 0]);
      const afterResolution = await escalationsOf(t, m.id);
      expect(afterResolution.map((e) => [e.id, e.state])).toEqual([[first.id, 'resolved']]);

      // The rule firing after the resolution is a new cause, at the level it asks for now.
      hub.advance(HOUR);
      const later = hub.now();
      await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { percentComplete: 30 }), 200);
      const again = await waitFor(async () => {
        const open = (await escalationsOf(t, m.id)).filter((e) => e.state === 'open');
        return open.length === 1 && open[0]!.notices.length === 1 && open[0];
      }, 20_000, 'rule escalation for the new request');
      expect(again).toMatchObject({ trigger: 'rule', level: 1, causeKey: `rule:${later.toISOString()}`, openedAt: later.toISOString() });
      expect(again.id).not.toBe(first.id);
      expect(again.notices[0]).toMatchObject({ level: 1, recipients: [owner] });
      await escalationsQueueIdle();
      expect((await sweep()).opened).toBe(0);
      expect(await escalationsOf(t, m.id)).toHaveLength(2);
    });
  }

  it('opens nothing for a request made while it was open but recorded only after the resolution', async () => {
    const { t, owner, projectId } = await world('late-request', [escalateWhen('slipping', 'lessThan', 50, 1)]);
    const m = await t.milestone(projectId, owner, { title: 'Basement waterproofing' });
    await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { percentComplete: 40 }), 200);
    const first = await escalationAt(t, m.id, 1, 1);

    hub.advance(60_000);
    const request = ruleRequest(t, m.id, 'stalled', 3);
    hub.advance(60_000);
    await resolveByHand(t, first.id);

    hub.advance(60_000);
    await escalationEventsHook(hub.deps)(request);
    await requestRecorded(t, m.id, new Date(request.at));
    await escalationsQueueIdle();
    expect((await sweep()).opened).toBe(0);
    expect((await escalationsOf(t, m.id)).map((e) => [e.id, e.state])).toEqual([[first.id, 'resolved']]);
  });
});
