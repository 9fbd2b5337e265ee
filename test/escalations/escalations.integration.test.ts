import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationCounts } from '../../core/analytics/index.ts';
import { earlyWarningsCollection, escalationsCollection, milestoneWatchCollection, watchRebuiltAt, type EscalationDoc } from '../../core/escalations/index.ts';
import type { EscalationSweepResult } from '../../queues/escalations/index.ts';
import { ESCALATION_SWEEP_SCHEDULER_ID, scheduleEscalationSweep } from '../../queues/escalations/index.ts';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp/index.ts';
import { ESCALATION_LEVELS, expectStatus, HOUR, probeFixture, waitFor, type ProbeFixture, type ProbeTenant } from '../probes/probe-fixture.ts';
import { escalationsOf, type Escalation } from './escalation-test-kit.ts';

let hub: ProbeFixture;
let smtp: SmtpFake;

beforeAll(async () => {
  hub = await probeFixture('escalations');
  smtp = await startSmtpFake();
});
afterAll(async () => {
  await hub?.close();
  await smtp?.close();
});

const POLICY = {
  levels: ESCALATION_LEVELS,
  triggers: [
    { type: 'no_probe_response', after: 'PT24H' },
    { type: 'disputed' },
  ],
  sla: { acknowledgeWithin: 'PT4H' },
  earlyWarning: { enabled: false },
};

/** A tenant with email, an owner → manager → director chain and a project with a client contact. */
async function world(slug: string, policy: unknown = POLICY) {
  const t = await hub.tenant(slug);
  await t.connection({ connector: 'email', config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme <projects@acme.in>' }, credentials: {} });
  const director = await t.person({ name: 'Dinesh Director', email: 'dinesh@acme.in', channels: ['email'] });
  const manager = await t.person({ name: 'Meera Manager', email: 'meera@acme.in', channels: ['email'], managerId: director });
  const owner = await t.person({ name: 'Asha Owner', email: 'asha@acme.in', channels: ['email'], managerId: manager });
  const projectId = await t.project({ client: { name: 'Sharma Builders', stateCode: '27', contacts: [{ name: 'Rohit Sharma', email: 'rohit@sharma.in' }] } });
  if (policy) await expectStatus(t.call('PUT', '/v1/escalation-policies/default', { name: 'Site policy', policy }), 200);
  return { t, director, manager, owner, projectId };
}

const sweep = () => hub.runJob<EscalationSweepResult>('escalations', 'sweep');

describe('escalations', () => {
  it('escalates an unanswered probe to level 1 after 24 hours, then to level 2 when level 1 does not acknowledge in 4', async () => {
    const { t, owner, manager, projectId } = await world('no-answer');
    const m = await t.milestone(projectId, owner, { title: 'Lift installation' });
    await expectStatus(t.call('POST', `/v1/milestones/${m.id}/probes`), 202);

    hub.advance(23 * HOUR);
    await sweep();
    expect(await escalationsOf(t, m.id)).toHaveLength(0);

    hub.advance(HOUR + 60_000);
    const opened = await sweep();
    expect(opened.opened).toBe(1);
    let [e] = await escalationsOf(t, m.id);
    expect(e).toMatchObject({ trigger: 'no_probe_response', level: 1, state: 'open', policyKey: 'default' });
    expect(e!.notices).toEqual([expect.objectContaining({ level: 1, recipients: [owner], refs: ['owner'] })]);
    const first = await t.settled(e!.notices[0]!.notificationIds[0]!, ['sent']);
    expect(first).toMatchObject({ templateKey: 'escalation.level-1', escalationId: e!.id, personId: owner, channel: 'email' });

    hub.advance(3 * HOUR);
    await sweep();
    [e] = await escalationsOf(t, m.id);
    expect(e!.level).toBe(1);

    hub.advance(HOUR + 60_000);
    await sweep();
    [e] = await escalationsOf(t, m.id);
    expect(e).toMatchObject({ level: 2, state: 'open' });
    expect(e!.history.map((h) => [h.type, h.level])).toEqual([['opened', 1], ['raised', 2]]);
    expect(e!.notices[1]).toMatchObject({ level: 2, recipients: [manager] });
    const second = await t.settled(e!.notices[1]!.notificationIds[0]!, ['sent']);
    expect(second).toMatchObject({ templateKey: 'escalation.level-2', personId: manager });
    expect(smtp.messages.some((x) => x.rcptTo.includes('meera@acme.in') && x.raw.toString('utf8').includes('Lift installation'))).toBe(true);

    // Acknowledged at level 2: the next level is not reached however long it takes.
    const acked = await expectStatus<{ state: string; acknowledgedBy: string }>(t.call('POST', `/v1/escalations/${e!.id}/acknowledge`), 200);
    expect(acked.state).toBe('acknowledged');
    const again = await t.call('POST', `/v1/escalations/${e!.id}/acknowledge`);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    hub.advance(10 * HOUR);
    await sweep();
    [e] = await escalationsOf(t, m.id);
    expect(e).toMatchObject({ level: 2, state: 'acknowledged' });

    const resolved = await expectStatus<{ state: string; resolution: string; resolutionNote: string }>(t.call('POST', `/v1/escalations/${e!.id}/resolve`, { note: 'Spoke to the lift vendor' }), 200);
    expect(resolved).toMatchObject({ state: 'resolved', resolution: 'resolved', resolutionNote: 'Spoke to the lift vendor' });
    expect((await t.call('POST', `/v1/escalations/${e!.id}/resolve`, {})).status).toBe(409);
    // The same cause does not open again.
    await sweep();
    expect(await escalationsOf(t, m.id)).toHaveLength(1);

    // Everything is kept for analytics.
    const counts = await escalationCounts({ db: t.db, collection: escalationsCollection as never });
    expect(counts).toMatchObject({ total: 1, open: 0, byLevel: [{ level: 2, count: 1, open: 0 }], byTrigger: [{ trigger: 'no_probe_response', count: 1, open: 0 }] });
  });

  it('opens an escalation as soon as the milestone is disputed, and closes it when the dispute is settled', async () => {
    const { t, owner, projectId } = await world('disputed');
    const m = await t.milestone(projectId, owner, { title: 'Façade glazing' });
    const raised = await expectStatus<{ dispute: { id: string } }>(t.call('POST', `/v1/milestones/${m.id}/disputes`, { reason: 'Glass panels chipped on level 4' }), 201);
    // No sweep is run here: the domain event's hook sweeps the milestone at once.
    const [e] = await waitFor(async () => {
      const items = await escalationsOf(t, m.id);
      return items.length > 0 && items[0]!.notices.length > 0 && items;
    }, 20_000, 'dispute escalation and its notice');
    expect(e).toMatchObject({ trigger: 'disputed', level: 1, state: 'open' });
    expect(e!.notices[0]!.recipients).toEqual([owner]);

    await expectStatus(t.call('POST', `/v1/milestones/${m.id}/disputes/${raised.dispute.id}/resolve`, { resolution: 'Panels replaced', outcome: 'accept' }), 200);
    const closed = await waitFor(async () => {
      const [x] = await escalationsOf(t, m.id);
      return x?.state === 'resolved' && x;
    }, 20_000, 'dispute escalation closed');
    expect(closed.resolution).toBe('cause_cleared');
  });

  it('closes a no-response escalation once the owner replies', async () => {
    const { t, owner, projectId } = await world('answered-late');
    const m = await t.milestone(projectId, owner);
    const { probeId } = await expectStatus<{ probeId: string }>(t.call('POST', `/v1/milestones/${m.id}/probes`), 202);
    hub.advance(25 * HOUR);
    await sweep();
    expect((await escalationsOf(t, m.id))[0]).toMatchObject({ state: 'open', trigger: 'no_probe_response' });
    const { handleProbeReply } = await import('../../queues/probes/index.ts');
    const applied = await handleProbeReply(hub.deps, { tenantId: t.id, channel: 'email', from: 'asha@acme.in', personId: owner, text: '1, on track', receivedAt: hub.now(), providerMessageId: '<late@acme.in>', probeId });
    expect(applied).toMatchObject({ status: 'applied', kind: 'on_track' });
    const result = await sweep();
    expect(result.closed).toBeGreaterThanOrEqual(1);
    expect((await escalationsOf(t, m.id))[0]).toMatchObject({ state: 'resolved', resolution: 'cause_cleared' });
  });

  it('warns early when progress lags the time elapsed, once per repeat period, to the owner and manager', async () => {
    const { t, owner, manager, projectId } = await world('early-warning', null);
    // 3 March is about 70% of the way from 1 January to 31 March; 10% is done.
    const lagging = await t.milestone(projectId, owner, { title: 'Basement excavation', plannedStart: '2026-01-01', dueDate: '2026-03-31', percentComplete: 10 });
    const fine = await t.milestone(projectId, owner, { title: 'Boundary wall', plannedStart: '2026-01-01', dueDate: '2026-03-31', percentComplete: 80 });
    const result = await sweep();
    expect(result.warned).toBe(1);
    const warnings = await t.db.collection(earlyWarningsCollection).find({});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ milestoneId: lagging.id, percentComplete: 10, rule: { elapsedAtLeast: 60, completeBelow: 40 } });
    expect(warnings[0]!.expectedPercent).toBeGreaterThanOrEqual(60);
    expect(warnings[0]!.recipients).toEqual([owner, manager]);
    expect(await t.db.collection(earlyWarningsCollection).count({ milestoneId: fine.id })).toBe(0);
    hub.advance(2 * HOUR);
    expect((await sweep()).warned).toBe(0);
  });

  it('follows milestone changes between watch rebuilds through domain events', async () => {
    const { t, owner, projectId } = await world('watch', { ...POLICY, triggers: [{ type: 'overdue', after: 'PT1H' }] });
    const m = await t.milestone(projectId, owner, { title: 'Site drainage', dueDate: '2026-06-30' });
    expect((await sweep()).watchRebuilt).toBeGreaterThanOrEqual(1);
    expect(await escalationsOf(t, m.id)).toHaveLength(0);
    const rebuiltAt = await watchRebuiltAt(t.db);
    expect(rebuiltAt).not.toBeNull();
    await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { dueDate: '2026-02-27' }), 200);
    // The outbox relay hands milestone.updated to the hook, which refreshes the watch.
    await waitFor(async () => (await t.db.collection(milestoneWatchCollection).findOne({ milestoneId: m.id }))?.dueDate === '2026-02-27', 15_000, 'watch refreshed');
    hub.advance(60_000);
    await sweep();
    // Not rebuilt (an hour has not passed): the event kept the watch current.
    expect(await watchRebuiltAt(t.db)).toEqual(rebuiltAt);
    expect(await escalationsOf(t, m.id)).toEqual([expect.objectContaining({ trigger: 'overdue', level: 1, state: 'open' })]);
  });

  it("carries out a business rule's notify and escalate actions: a rule.notice to the manager, an escalation opened at the rule's level", async () => {
    const { t, owner, manager, director, projectId } = await world('rule-actions');
    // Earlier tests moved the clock; quiet hours would hold these messages back.
    await expectStatus(t.call('PUT', '/v1/notification-settings', { delivery: { quietHours: null } }), 200);
    const rule = {
      id: 'stalled-payment',
      name: 'Payment milestone stalled',
      when: { event: 'milestone.updated', condition: { all: [{ fact: 'percentComplete', operator: 'lessThan', value: 20 }] } },
      then: [{ type: 'notify', to: 'manager' }, { type: 'escalate', level: 3 }],
    };
    await expectStatus(t.call('POST', '/v1/rules', rule), 201);
    const m = await t.milestone(projectId, owner, { title: 'Tower crane hire' });
    const mails = smtp.messages.length;
    await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { percentComplete: 10 }), 200);

    // The escalation opens straight at level 3 (owner.manager.manager), from the event alone.
    const [e] = await waitFor(async () => {
      const items = await escalationsOf(t, m.id);
      return items.length > 0 && items[0]!.notices.length > 0 && items;
    }, 20_000, 'rule escalation and its notice');
    expect(e).toMatchObject({ trigger: 'rule', level: 3, state: 'open' });
    expect(e!.history.map((h) => [h.type, h.level])).toEqual([['opened', 3]]);
    expect(e!.notices).toEqual([expect.objectContaining({ level: 3, recipients: [director], refs: ['owner.manager.manager'] })]);
    const escalated = await t.settled(e!.notices[0]!.notificationIds[0]!, ['sent']);
    expect(escalated).toMatchObject({ templateKey: 'escalation.level-3', personId: director });

    // The notify action reaches the owner's manager with the rule's name.
    const notice = await waitFor(async () => {
      const list = await expectStatus<{ items: Array<{ id: string; templateKey: string; personId?: string; status: string; purpose: string }> }>(t.call('GET', `/v1/notifications?milestoneId=${m.id}`), 200);
      return list.items.find((n) => n.templateKey === 'rule.notice' && n.status === 'sent');
    }, 20_000, 'rule notice sent');
    expect(notice).toMatchObject({ personId: manager, purpose: 'rule' });
    const mail = await waitFor(async () => smtp.messages.slice(mails).find((x) => x.rcptTo.includes('meera@acme.in') && x.raw.toString('utf8').includes('Payment milestone stalled')), 20_000, 'rule mail');
    expect(mail.raw.toString('utf8')).toContain('Tower crane hire');

    // Resolved by a person, it stays resolved; the rule firing again later is a new cause.
    await expectStatus(t.call('POST', `/v1/escalations/${e!.id}/resolve`, { note: 'Crane booked' }), 200);
    await sweep();
    expect((await escalationsOf(t, m.id)).filter((x) => x.state !== 'resolved')).toHaveLength(0);
    hub.advance(HOUR);
    await expectStatus(t.call('PATCH', `/v1/milestones/${m.id}`, { percentComplete: 15 }), 200);
    const again = await waitFor(async () => {
      const open = (await escalationsOf(t, m.id)).filter((x) => x.state === 'open');
      return open.length === 1 && open;
    }, 20_000, 'second rule escalation');
    expect(again[0]).toMatchObject({ trigger: 'rule', level: 3 });
    expect(again[0]!.id).not.toBe(e!.id);
  });

  it('refuses a rule whose notify names an unknown template or an impossible recipient', async () => {
    const { t } = await world('rule-bad', null);
    const bad = await t.call('POST', '/v1/rules', { id: 'bad', name: 'Bad', when: { event: 'milestone.updated' }, then: [{ type: 'notify', to: 'owner', template: 'no-such-template' }, { type: 'notify', to: 'someone@example.com' }] });
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { errors: Array<{ path: string }> };
    expect(problem.errors.map((x) => x.path).sort()).toEqual(['body.then.0.template', 'body.then.1.to']);
  });

  it('validates policies at save and answers bad requests with problem+json', async () => {
    const { t } = await world('policies', null);
    const shipped = await expectStatus<{ key: string; stored: boolean; version: number; policy: { levels: unknown[] } }>(t.call('GET', '/v1/escalation-policies/default'), 200);
    expect(shipped).toMatchObject({ key: 'default', stored: false, version: 0 });
    expect(shipped.policy.levels).toHaveLength(4);

    const bad = await t.call('PUT', '/v1/escalation-policies/default', { policy: { levels: [{ notify: ['the boss'] }], triggers: [{ type: 'overdue' }, { type: 'overdue' }] } });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const paths = ((await bad.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.policy.levels.0.notify.0', 'body.policy.triggers.1.type']));

    const saved = await expectStatus<{ version: number }>(t.call('PUT', '/v1/escalation-policies/key-accounts', { policy: POLICY, projectIds: ['prj_a'] }), 200);
    expect(saved.version).toBe(1);
    const stale = await t.call('PUT', '/v1/escalation-policies/key-accounts', { policy: POLICY, projectIds: ['prj_a'] }, { 'If-Match': '"7"' });
    expect(stale.status).toBe(409);
    const clash = await t.call('PUT', '/v1/escalation-policies/other', { policy: POLICY, projectIds: ['prj_a'] });
    expect(clash.status).toBe(422);
    const listed = await expectStatus<{ items: Array<{ key: string }> }>(t.call('GET', '/v1/escalation-policies'), 200);
    expect(listed.items.map((p) => p.key)).toEqual(['default', 'key-accounts']);
    expect((await t.call('PUT', '/v1/escalation-policies/Bad Key!', { policy: POLICY })).status).toBe(400);
    expect((await t.call('GET', '/v1/escalation-policies/missing')).status).toBe(404);
    expect((await t.call('POST', '/v1/escalations/esc_missing/acknowledge')).status).toBe(404);
    expect((await t.call('GET', '/v1/escalations?state=sideways')).status).toBe(400);

    // Another tenant sees none of it.
    const other = await hub.tenant('policies-other');
    expect((await other.call('GET', '/v1/escalation-policies/key-accounts')).status).toBe(404);
  });

  it('upserts the escalation sweep as a BullMQ job scheduler', async () => {
    await scheduleEscalationSweep(hub.queues, { everyMs: 3_600_000 });
    await scheduleEscalationSweep(hub.queues, { everyMs: 3_600_000 });
    const schedulers = await hub.queues.get('escalations').getJobSchedulers();
    expect(schedulers.filter((s) => s.key === ESCALATION_SWEEP_SCHEDULER_ID)).toEqual([expect.objectContaining({ every: 3_600_000, name: 'sweep' })]);
    await hub.queues.get('escalations').removeJobScheduler(ESCALATION_SWEEP_SCHEDULER_ID);
  });
});
