import { describe, expect, it } from 'vitest';
import { updateMilestone } from '../../core/milestones/index.ts';
import { expectStatus, milestoneWorld, type Problem } from './milestone-fixtures.ts';

describe('project schedule', () => {
  it('returns the critical path and the slack of every milestone, in working days', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    // A: Mon–Fri (5 days); B after A: Mon–Wed (3); C with A's start: Mon–Tue (2).
    const a = await w.milestone(p.id, { title: 'A', plannedStart: '2025-06-02', dueDate: '2025-06-06' });
    const b = await w.milestone(p.id, { title: 'B', plannedStart: '2025-06-09', dueDate: '2025-06-11', dependencies: [{ on: a.id, type: 'finish-to-start' }] });
    const c = await w.milestone(p.id, { title: 'C', plannedStart: '2025-06-02', dueDate: '2025-06-03', dependencies: [{ on: a.id, type: 'start-to-start' }] });
    const cancelled = await w.milestone(p.id, { title: 'Dropped', plannedStart: '2025-06-02', dueDate: '2025-12-31' });
    await expectStatus(w.move(cancelled.id, 'cancelled'), 200);
    const s = await expectStatus<{ startDate: string; projectDuration: number; criticalPath: string[]; items: { id: string; slack: number; critical: boolean; earliestStart: number; latestStartDate: string }[] }>(
      w.call('GET', `/v1/projects/${p.id}/schedule`),
      200,
    );
    expect(s).toMatchObject({ startDate: '2025-06-02', projectDuration: 8, criticalPath: [a.id, b.id] });
    const byId = new Map(s.items.map((i) => [i.id, i]));
    expect(byId.get(a.id)).toMatchObject({ slack: 0, critical: true });
    expect(byId.get(b.id)).toMatchObject({ slack: 0, earliestStart: 5 });
    expect(byId.get(c.id)).toMatchObject({ slack: 6, critical: false, latestStartDate: '2025-06-10' });
    expect(byId.has(cancelled.id)).toBe(false);
    await expectStatus(w.call('GET', '/v1/projects/prj_nope/schedule'), 404);
  });
});

describe('changes through other channels', () => {
  it('applies a connector’s change through the same service, recorded with its connection and channel', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const m = await w.milestone(p.id, { title: 'Sprint 4' });
    const ctx = { db: w.services.store.forTenant(w.tenantId), now: () => new Date(), actor: { kind: 'connection' as const, id: 'con_jira', channel: 'jira' } };
    const stale = await updateMilestone(ctx, m.id, { percentComplete: 70 }, { expectedVersion: 9 });
    expect(stale).toMatchObject({ ok: false, error: { code: 'version_conflict', currentVersion: 1 } });
    const bad = await updateMilestone(ctx, m.id, { dueDate: 'soon' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid', issues: [{ path: 'dueDate', code: 'invalid_date' }] } });
    const ok = await updateMilestone(ctx, m.id, { percentComplete: 70 }, { expectedVersion: 1 });
    expect(ok).toMatchObject({ ok: true, value: { percentComplete: 70, revision: 2 } });
    const history = await expectStatus<{ items: { action: string; actor: Record<string, string> }[] }>(w.call('GET', `/v1/milestones/${m.id}/history`), 200);
    expect(history.items[1]).toMatchObject({ action: 'milestone.updated', actor: { kind: 'connection', id: 'con_jira', channel: 'jira' } });
    // Its events name the actor too, so a sync engine can skip echoes of its own changes.
    const doc = await w.services.store.forTenant(w.tenantId).collection((await import('../../core/milestones/index.ts')).milestonesCollection).findById(m.id);
    const updated = doc!.outbox.find((e) => e.type === 'milestone.updated')!;
    expect(updated).toMatchObject({ actor: { kind: 'connection', id: 'con_jira' }, data: { fields: ['percentComplete'], version: 2 } });
  });

  it('checks If-Match on transitions and deletes too', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const m = await w.milestone(p.id);
    const stale = await expectStatus<Problem>(w.call('POST', `/v1/milestones/${m.id}/transitions`, { body: { to: 'in_progress' }, headers: { 'If-Match': '"7"' } }), 409);
    expect(stale.code).toBe('version_conflict');
    await expectStatus(w.call('POST', `/v1/milestones/${m.id}/transitions`, { body: { to: 'in_progress', version: 1 } }), 200);
    await expectStatus(w.call('DELETE', `/v1/milestones/${m.id}`, { headers: { 'If-Match': '1' } }), 409);
    expect((await w.call('DELETE', `/v1/milestones/${m.id}`, { headers: { 'If-Match': '2' } })).status).toBe(204);
  });

  it('documents every route in /openapi.json', async () => {
    const w = await milestoneWorld();
    const doc = await expectStatus<{ paths: Record<string, unknown> }>(w.app.request('/openapi.json'), 200);
    for (const path of [
      '/v1/projects',
      '/v1/projects/{id}/apply-template',
      '/v1/projects/{id}/schedule',
      '/v1/projects/{id}/milestones/import',
      '/v1/people/{id}/workload',
      '/v1/milestones',
      '/v1/milestones/{id}/transitions',
      '/v1/milestones/{id}/verifications/{vid}/decisions',
      '/v1/milestones/{id}/disputes',
      '/v1/milestones/{id}/history',
      '/v1/ownership/reassign',
      '/v1/audit/verify',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });
});
