import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probesCollection } from '../../core/probes/index.ts';
import { PROBE_SWEEP_SCHEDULER_ID, scheduleProbeSweep, type ProbeSweepResult } from '../../queues/probes/index.ts';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp/index.ts';
import { expectStatus, HOUR, probeFixture, type ProbeFixture } from './probe-fixture.ts';

let hub: ProbeFixture;
let smtp: SmtpFake;
const DAY = 24 * HOUR;

beforeAll(async () => {
  hub = await probeFixture('schedule');
  smtp = await startSmtpFake();
});
afterAll(async () => {
  await hub?.close();
  await smtp?.close();
});

describe('probe schedules on the injectable clock', () => {
  it('probes critical milestones daily and normal ones weekly, with overrides and near-due tightening', async () => {
    const t = await hub.tenant('schedule');
    await t.connection({ connector: 'email', config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme <projects@acme.in>' }, credentials: {} });
    const owner = await t.person({ name: 'Asha Rao', email: 'asha@example.in', channels: ['email'] });
    const projectId = await t.project();
    const critical = await t.milestone(projectId, owner, { title: 'Crane hire', priority: 'critical', dueDate: '2026-06-30' });
    const normal = await t.milestone(projectId, owner, { title: 'Painting', priority: 'medium', dueDate: '2026-06-30' });
    const paused = await t.milestone(projectId, owner, { title: 'Landscaping', priority: 'critical', dueDate: '2026-06-30' });
    const nearDue = await t.milestone(projectId, owner, { title: 'Handover docs', priority: 'low', dueDate: '2026-03-04' });
    await expectStatus(t.call('PUT', `/v1/milestones/${paused.id}/probe-schedule`, { override: { paused: true } }), 200);
    const probesOf = (id: string) => t.db.collection(probesCollection).find({ milestoneId: id }, { sort: { sentAt: 1 } });
    const sweep = () => hub.runJob<ProbeSweepResult>('probes', 'sweep');

    const first = await sweep();
    expect(first.sent).toBeGreaterThanOrEqual(3);
    expect(await probesOf(critical.id)).toHaveLength(1);
    expect(await probesOf(normal.id)).toHaveLength(1);
    expect(await probesOf(nearDue.id)).toHaveLength(1);
    expect(await probesOf(paused.id)).toHaveLength(0);
    const [firstCritical] = await probesOf(critical.id);
    expect(firstCritical).toMatchObject({ trigger: 'schedule', status: 'sent' });

    // Sweeping again at the same instant sends nothing more.
    expect((await sweep()).sent).toBe(0);

    hub.advance(12 * HOUR);
    await sweep();
    expect(await probesOf(critical.id)).toHaveLength(1);

    hub.advance(12 * HOUR + 60_000);
    await sweep();
    const criticalProbes = await probesOf(critical.id);
    expect(criticalProbes).toHaveLength(2);
    // The new question replaces the unanswered one.
    expect(criticalProbes.map((p) => p.status)).toEqual(['expired', 'sent']);
    expect(await probesOf(normal.id)).toHaveLength(1);

    const schedule = await expectStatus<{ next: { kind: string; at: string; basis: string }; awaitingResponseSince: string }>(t.call('GET', `/v1/milestones/${normal.id}/probe-schedule`), 200);
    expect(schedule.next).toMatchObject({ kind: 'scheduled', basis: 'criticality' });
    expect(new Date(schedule.next.at).getTime() - new Date(firstCritical!.sentAt).getTime()).toBe(7 * DAY);
    expect(schedule.awaitingResponseSince).toBe(firstCritical!.sentAt.toISOString());
    const near = await expectStatus<{ next: { basis: string } }>(t.call('GET', `/v1/milestones/${nearDue.id}/probe-schedule`), 200);
    expect(near.next.basis).toBe('near_due');

    // A per-milestone override: every two days for the normal one.
    const overridden = await expectStatus<{ override: unknown; next: { basis: string } }>(t.call('PUT', `/v1/milestones/${normal.id}/probe-schedule`, { override: { every: 'P2D' } }), 200);
    expect(overridden).toMatchObject({ override: { every: 'P2D' }, next: { basis: 'override' } });
    hub.advance(DAY);
    await sweep();
    expect(await probesOf(normal.id)).toHaveLength(2);
    expect(await probesOf(paused.id)).toHaveLength(0);

    const cleared = await expectStatus<{ override: unknown }>(t.call('PUT', `/v1/milestones/${normal.id}/probe-schedule`, { override: null }), 200);
    expect(cleared.override).toBeNull();
  });

  it("follows the tenant's probe policy: saved, versioned, used by the sweep and the schedule view, and dropped back to the default", async () => {
    const t = await hub.tenant('schedule-policy');
    await t.connection({ connector: 'email', config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme <projects@acme.in>' }, credentials: {} });
    const owner = await t.person({ name: 'Asha Rao', email: 'asha@example.in', channels: ['email'] });
    const normal = await t.milestone(await t.project(), owner, { title: 'Painting', priority: 'medium', dueDate: '2026-09-30' });
    const shipped = await expectStatus<{ policy: { every: { normal: string } }; version: number; stored: boolean }>(t.call('GET', '/v1/probe-policy'), 200);
    expect(shipped).toMatchObject({ policy: { every: { normal: 'P7D' } }, version: 0, stored: false });

    const saved = await expectStatus<{ policy: { every: Record<string, string>; overdue: string }; version: number }>(
      t.call('PUT', '/v1/probe-policy', { policy: { every: { critical: 'P1D', high: 'P1D', normal: 'P2D', low: 'P7D' } } }, { 'if-match': '"0"' }),
      200,
    );
    // Parts left out take the shipped defaults.
    expect(saved).toMatchObject({ policy: { every: { normal: 'P2D' }, overdue: 'P1D' }, version: 1, stored: true });
    const stale = await t.call('PUT', '/v1/probe-policy', { policy: { every: { critical: 'P1D', high: 'P1D', normal: 'P3D', low: 'P7D' } } }, { 'if-match': '"0"' });
    expect(stale.status).toBe(409);

    const probesOf = () => t.db.collection(probesCollection).find({ milestoneId: normal.id }, { sort: { sentAt: 1 } });
    const sweep = () => hub.runJob<ProbeSweepResult>('probes', 'sweep');
    await sweep();
    const [first] = await probesOf();
    expect(first).toBeDefined();
    const view = await expectStatus<{ next: { at: string; basis: string } }>(t.call('GET', `/v1/milestones/${normal.id}/probe-schedule`), 200);
    expect(new Date(view.next.at).getTime() - new Date(first!.sentAt).getTime()).toBe(2 * DAY);
    hub.advance(2 * DAY + 60_000);
    await sweep();
    expect(await probesOf()).toHaveLength(2);

    await expectStatus(t.call('DELETE', '/v1/probe-policy'), 204);
    const back = await expectStatus<{ next: { at: string } }>(t.call('GET', `/v1/milestones/${normal.id}/probe-schedule`), 200);
    const [, second] = await probesOf();
    expect(new Date(back.next.at).getTime() - new Date(second!.sentAt).getTime()).toBe(7 * DAY);
  });

  it('refuses a bad probe policy with located problem+json, and lets only admins and managers change it', async () => {
    const t = await hub.tenant('schedule-policy-bad');
    const cases: Array<[unknown, string]> = [
      [{ every: { critical: 'P1D', high: 'P2D', normal: 'PT5M', low: 'P14D' } }, 'body.policy.every.normal'],
      [{ overdue: 'daily' }, 'body.policy.overdue'],
      [{ nearDue: [{ within: 'P7D', atMost: 'PT10M' }] }, 'body.policy.nearDue.0.atMost'],
      [{ every: { critical: 'P1D' } }, 'body.policy.every.high'],
    ];
    for (const [policy, path] of cases) {
      const res = await t.call('PUT', '/v1/probe-policy', { policy });
      expect(res.status, JSON.stringify(policy)).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as { errors: Array<{ path: string }> };
      expect(body.errors.map((e) => e.path), JSON.stringify(policy)).toContain(path);
    }
    expect((await t.call('PUT', '/v1/probe-policy', { every: { normal: 'P1D' } })).status).toBe(400);
    const viewer = await expectStatus<{ apiKey?: string; key?: string; token?: string }>(t.call('POST', '/v1/api-keys', { name: 'viewer', role: 'viewer' }), 201);
    const token = viewer.apiKey ?? viewer.token ?? viewer.key;
    expect((await hub.call('PUT', '/v1/probe-policy', { key: token!, body: { policy: {} } })).status).toBe(403);
    expect((await hub.call('GET', '/v1/probe-policy', { key: token! })).status).toBe(200);
    expect(((await (await t.call('GET', '/v1/probe-policy')).json()) as { stored: boolean }).stored).toBe(false);
  });

  it('refuses a bad override with problem+json', async () => {
    const t = await hub.tenant('schedule-bad');
    const owner = await t.person({ name: 'Asha', email: 'asha@example.in' });
    const m = await t.milestone(await t.project(), owner);
    for (const body of [{ override: { every: 'fortnightly' } }, { override: { every: 'PT5M' } }, { override: { paused: false } }, { every: 'P1D' }]) {
      const res = await t.call('PUT', `/v1/milestones/${m.id}/probe-schedule`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await t.call('PUT', '/v1/milestones/ms_missing/probe-schedule', { override: null })).status).toBe(404);
  });

  it('upserts the probe sweep as a BullMQ job scheduler', async () => {
    await scheduleProbeSweep(hub.queues, { everyMs: 3_600_000 });
    await scheduleProbeSweep(hub.queues, { everyMs: 3_600_000 });
    const schedulers = await hub.queues.get('probes').getJobSchedulers();
    expect(schedulers.filter((s) => s.key === PROBE_SWEEP_SCHEDULER_ID)).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ every: 3_600_000, name: 'sweep' });
    await hub.queues.get('probes').removeJobScheduler(PROBE_SWEEP_SCHEDULER_ID);
    await expect(scheduleProbeSweep(hub.queues, { everyMs: 5 })).rejects.toThrow(TypeError);
  });
});
