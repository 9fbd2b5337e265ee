import { describe, expect, it } from 'vitest';
import { expectStatus, GSTIN_MH, milestoneWorld, type Milestone, type Problem } from './milestone-fixtures.ts';

interface Project {
  id: string;
  name: string;
  status: string;
  version: number;
  contractValue: number;
  client: { name: string; gstin?: string; stateCode: string; contacts: { name: string; email?: string; phone?: string }[] };
}

describe('projects', () => {
  it('creates, lists, reads, changes and archives a project', async () => {
    const w = await milestoneWorld();
    const created = await expectStatus<Project & { currency: string; timeZone: string }>(
      w.call('POST', '/v1/projects', {
        body: {
          name: 'Tower B',
          client: { name: 'Acme Infra', gstin: ` ${GSTIN_MH.toLowerCase()} `, stateCode: '27', contacts: [{ name: 'Meera', email: 'Meera@Acme.IN', phone: '098765 43210', whatsapp: '+91 98765 43210' }] },
          contractValue: 50_00_000_00,
        },
      }),
      201,
    );
    expect(created).toMatchObject({ currency: 'INR', timeZone: 'Asia/Kolkata', status: 'active', version: 1 });
    expect(created.client.gstin).toBe(GSTIN_MH);
    expect(created.client.contacts[0]).toEqual({ name: 'Meera', email: 'meera@acme.in', phone: '+919876543210', whatsapp: '+919876543210' });
    const changed = await expectStatus<Project>(w.call('PATCH', `/v1/projects/${created.id}`, { body: { name: 'Tower B (phase 2)' }, headers: { 'If-Match': '"1"' } }), 200);
    expect(changed).toMatchObject({ name: 'Tower B (phase 2)', version: 2 });
    await expectStatus(w.call('PATCH', `/v1/projects/${created.id}`, { body: { name: 'stale' }, headers: { 'If-Match': '"1"' } }), 409);
    const listed = await expectStatus<{ items: Project[] }>(w.call('GET', '/v1/projects'), 200);
    expect(listed.items.map((p) => p.id)).toEqual([created.id]);
    expect((await w.call('DELETE', `/v1/projects/${created.id}`)).status).toBe(204);
    expect((await expectStatus<{ items: Project[] }>(w.call('GET', '/v1/projects'), 200)).items).toHaveLength(0);
    expect((await expectStatus<{ items: Project[] }>(w.call('GET', '/v1/projects?status=archived'), 200)).items).toHaveLength(1);
    expect((await expectStatus<Project>(w.call('GET', `/v1/projects/${created.id}`), 200)).status).toBe('archived');
    const refused = await expectStatus<Problem>(w.call('POST', '/v1/milestones', { body: { projectId: created.id, title: 'x' } }), 422);
    expect(refused.errors?.[0]?.code).toBe('project_archived');
    await expectStatus(w.call('PATCH', `/v1/projects/${created.id}`, { body: { status: 'active' } }), 200);
    await w.milestone(created.id);
  });

  it('checks the GSTIN by format, check character and state, and the state against the GST list', async () => {
    const w = await milestoneWorld();
    const post = (client: Record<string, unknown>) => w.call('POST', '/v1/projects', { body: { name: 'x', client: { name: 'C', ...client }, contractValue: 100 } });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ gstin: '27AAPFU0939F1ZW', stateCode: '27' }, 'body.client.gstin', 'gstin_check_digit'],
      [{ gstin: '27AAPFU0939F1Z', stateCode: '27' }, 'body.client.gstin', 'gstin_format'],
      [{ gstin: GSTIN_MH, stateCode: '29' }, 'body.client.gstin', 'gstin_state_mismatch'],
      [{ stateCode: '42' }, 'body.client.stateCode', 'unknown_state_code'],
      [{ stateCode: '27', contacts: [{ name: 'A', email: 'not-an-email' }] }, 'body.client.contacts.0.email', 'invalid_email'],
    ];
    for (const [client, path, code] of cases) {
      const problem = await expectStatus<Problem>(post(client), 422);
      expect(problem.errors?.find((e) => e.path === path)?.code, JSON.stringify(client)).toBe(code);
    }
    await expectStatus(w.call('POST', '/v1/projects', { body: { name: 'x', client: { name: 'C', stateCode: '27' }, contractValue: 10.5 } }), 400);
    await expectStatus(w.call('POST', '/v1/projects', { body: { name: 'x', client: { name: 'C', stateCode: '27' }, contractValue: 100, currency: 'USD' } }), 400);
    await expectStatus(w.call('POST', '/v1/projects', { body: { name: 'x', client: { name: 'C', stateCode: '27' }, contractValue: 100, timeZone: 'Mars/Olympus' } }), 422);
  });

  it('duplicates a project with its milestones, and a milestone with what sits under it', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const phase = await w.milestone(p.id, { kind: 'phase', title: 'Phase' });
    const m = await w.milestone(p.id, { parentId: phase.id, title: 'M', payment: { percent: 40 } });
    const sub = await w.milestone(p.id, { kind: 'sub-milestone', parentId: m.id, title: 'S', dependencies: [{ on: m.id, type: 'start-to-start' }] });
    await expectStatus(w.move(m.id, 'in_progress'), 200);
    const copy = await expectStatus<{ milestone: Milestone; created: number }>(w.call('POST', `/v1/milestones/${phase.id}/duplicate`, { body: { includePayment: false } }), 201);
    expect(copy.created).toBe(3);
    expect(copy.milestone.title).toBe('Phase (copy)');
    const kids = await expectStatus<{ items: Milestone[] }>(w.call('GET', `/v1/milestones?parentId=${copy.milestone.id}`), 200);
    expect(kids.items).toHaveLength(1);
    expect(kids.items[0]).toMatchObject({ title: 'M', status: 'planned', percentComplete: 0 });
    expect(kids.items[0]!.payment).toBeUndefined();
    const subs = await expectStatus<{ items: Milestone[] }>(w.call('GET', `/v1/milestones?parentId=${kids.items[0]!.id}`), 200);
    expect(subs.items[0]!.dependencies[0]!.on).toBe(kids.items[0]!.id);
    expect(subs.items[0]!.id).not.toBe(sub.id);
    // With payment, the split is checked: 40% twice fits, three times does not.
    await expectStatus(w.call('POST', `/v1/milestones/${m.id}/duplicate`, { body: {} }), 201);
    await expectStatus(w.call('POST', `/v1/milestones/${m.id}/duplicate`, {}), 422);

    const dup = await expectStatus<{ project: Project; created: number }>(w.call('POST', `/v1/projects/${p.id}/duplicate`, { body: { name: 'Tower C' } }), 201);
    expect(dup.project.name).toBe('Tower C');
    expect(dup.created).toBe(8);
    const copied = await expectStatus<{ items: Milestone[] }>(w.call('GET', `/v1/milestones?projectId=${dup.project.id}&limit=100`), 200);
    expect(copied.items.every((x) => x.status === 'planned')).toBe(true);
  });
});

describe('people and ownership', () => {
  async function people(w: Awaited<ReturnType<typeof milestoneWorld>>) {
    const lead = await expectStatus<{ id: string }>(w.call('POST', '/v1/people', { body: { name: 'Lead', email: 'lead@example.in', channels: ['email'] } }), 201);
    const asha = await expectStatus<{ id: string; whatsapp: string; channels: string[] }>(
      w.call('POST', '/v1/people', { body: { name: 'Asha', whatsapp: '98765 43210', channels: ['whatsapp', 'email'], email: 'asha@example.in', managerId: lead.id, team: 'site', quietHours: { start: '21:00', end: '07:00' }, locale: 'hi-in' } }),
      201,
    );
    const ravi = await expectStatus<{ id: string }>(w.call('POST', '/v1/people', { body: { name: 'Ravi', phone: '+91 99887 76655', channels: ['sms'] } }), 201);
    return { lead, asha, ravi };
  }

  it('keeps people with reachable channels and a manager chain without loops', async () => {
    const w = await milestoneWorld();
    const { lead, asha } = await people(w);
    expect(asha).toMatchObject({ whatsapp: '+919876543210', channels: ['whatsapp', 'email'], locale: 'hi-IN' });
    const unreachable = await expectStatus<Problem>(w.call('POST', '/v1/people', { body: { name: 'X', channels: ['sms'] } }), 422);
    expect(unreachable.errors?.[0]).toMatchObject({ path: 'body.channels.0', code: 'unreachable_channel' });
    const loop = await expectStatus<Problem>(w.call('PATCH', `/v1/people/${lead.id}`, { body: { managerId: asha.id } }), 422);
    expect(loop.errors?.[0]?.code).toBe('manager_cycle');
    await expectStatus(w.call('POST', '/v1/people', { body: { name: 'X', phone: '12' } }), 422);
    const cleared = await expectStatus<{ managerId?: string }>(w.call('PATCH', `/v1/people/${asha.id}`, { body: { managerId: null } }), 200);
    expect(cleared.managerId).toBeUndefined();
    const team = await expectStatus<{ items: unknown[] }>(w.call('GET', '/v1/people?team=site'), 200);
    expect(team.items).toHaveLength(1);
    expect((await w.call('DELETE', `/v1/people/${asha.id}`)).status).toBe(204);
    await expectStatus(w.call('GET', `/v1/people/${asha.id}`), 404);
    const other = await w.tenant('other');
    expect((await w.callAs(other.key, 'GET', `/v1/people/${lead.id}`)).status).toBe(404);
  });

  it('shows a workload per owner: open milestones, their value in paise and how many are overdue', async () => {
    const w = await milestoneWorld();
    const { asha, ravi } = await people(w);
    const p = await w.project({ contractValue: 10_00_000_00 });
    const own = (ref: string, role = 'primary') => [{ kind: 'individual', ref, role }];
    await w.milestone(p.id, { title: 'A', owners: own(asha.id), payment: { percent: 10 }, dueDate: '2025-01-10' });
    await w.milestone(p.id, { title: 'B', owners: own(asha.id, 'backup'), payment: { amount: 2_50_000_00 }, dueDate: '2099-01-10' });
    const done = await w.milestone(p.id, { title: 'C', owners: own(asha.id), payment: { amount: 1_00 } });
    await expectStatus(w.move(done.id, 'cancelled'), 200);
    await w.milestone(p.id, { title: 'D', owners: own(ravi.id), payment: { amount: 5_00 } });
    const load = await expectStatus<{ openMilestones: number; totalValue: number; overdueCount: number; asPrimary: number; asBackup: number; items: { title: string; value: number; overdue: boolean }[] }>(
      w.call('GET', `/v1/people/${asha.id}/workload`),
      200,
    );
    expect(load).toMatchObject({ openMilestones: 2, totalValue: 1_00_000_00 + 2_50_000_00, overdueCount: 1, asPrimary: 1, asBackup: 1 });
    expect(load.items.map((i) => [i.title, i.value, i.overdue])).toEqual([
      ['A', 1_00_000_00, true],
      ['B', 2_50_000_00, false],
    ]);
    await expectStatus(w.call('GET', '/v1/people/per_missing/workload'), 404);
  });

  it('delegates for a period: the delegate is the effective owner and carries the workload', async () => {
    const w = await milestoneWorld();
    const { asha, ravi, lead } = await people(w);
    const p = await w.project();
    const m = await w.milestone(p.id, { title: 'Slab', owners: [{ kind: 'individual', ref: asha.id, role: 'primary' }, { kind: 'team', ref: 'site', role: 'backup' }] });
    const now = Date.now();
    const day = 86_400_000;
    const start = new Date(now - day).toISOString();
    const end = new Date(now + 7 * day).toISOString();
    const refused = await expectStatus<Problem>(w.call('POST', `/v1/milestones/${m.id}/delegations`, { body: { from: ravi.id, to: lead.id, start, end } }), 422);
    expect(refused.errors?.[0]?.code).toBe('not_an_owner');
    await expectStatus(w.call('POST', `/v1/milestones/${m.id}/delegations`, { body: { from: asha.id, to: ravi.id, start: end, end: start } }), 422);
    const d = await expectStatus<{ id: string; from: string; to: string }>(w.call('POST', `/v1/milestones/${m.id}/delegations`, { body: { from: asha.id, to: ravi.id, start, end, reason: 'leave' } }), 201);
    expect(d).toMatchObject({ from: asha.id, to: ravi.id });
    const owners = await expectStatus<{ effective: { ref: string; delegatedFrom?: string }[] }>(w.call('GET', `/v1/milestones/${m.id}/owners`), 200);
    expect(owners.effective).toEqual([expect.objectContaining({ ref: ravi.id, delegatedFrom: asha.id, role: 'primary' }), expect.objectContaining({ kind: 'team', ref: 'site' })]);
    const later = await expectStatus<{ effective: { ref: string }[] }>(w.call('GET', `/v1/milestones/${m.id}/owners?at=${encodeURIComponent(new Date(now + 30 * day).toISOString())}`), 200);
    expect(later.effective[0]?.ref).toBe(asha.id);
    expect((await expectStatus<{ openMilestones: number }>(w.call('GET', `/v1/people/${asha.id}/workload`), 200)).openMilestones).toBe(0);
    const raviLoad = await expectStatus<{ openMilestones: number; delegatedIn: number }>(w.call('GET', `/v1/people/${ravi.id}/workload`), 200);
    expect(raviLoad).toMatchObject({ openMilestones: 1, delegatedIn: 1 });
    // A person-wide delegation, dates read in the tenant's zone.
    await expectStatus(w.call('POST', `/v1/people/${ravi.id}/delegations`, { body: { to: lead.id, start: '2020-01-01', end: '2099-12-31' } }), 201);
    const chained = await expectStatus<{ effective: { ref: string; delegatedFrom?: string }[] }>(w.call('GET', `/v1/milestones/${m.id}/owners`), 200);
    expect(chained.effective[0]).toMatchObject({ ref: lead.id, delegatedFrom: asha.id });
    expect((await w.call('DELETE', `/v1/delegations/${d.id}`)).status).toBe(204);
    const back = await expectStatus<{ effective: { ref: string }[] }>(w.call('GET', `/v1/milestones/${m.id}/owners`), 200);
    expect(back.effective[0]?.ref).toBe(asha.id);
    const history = await expectStatus<{ items: { kind: string }[] }>(w.call('GET', `/v1/milestones/${m.id}/ownership-history`), 200);
    expect(history.items.map((h) => h.kind)).toEqual(['owners_changed', 'delegated']);
  });

  it('reassigns in bulk with a result per milestone, and records the ownership history', async () => {
    const w = await milestoneWorld();
    const { asha, ravi } = await people(w);
    const p = await w.project();
    const made: Milestone[] = [];
    for (let i = 0; i < 4; i += 1) made.push(await w.milestone(p.id, { title: `m${i}`, tags: i < 3 ? ['north'] : [], owners: [{ kind: 'individual', ref: asha.id, role: i === 0 ? 'backup' : 'primary' }] }));
    await expectStatus(w.call('PATCH', `/v1/milestones/${made[2]!.id}`, { body: { owners: [{ kind: 'individual', ref: asha.id, role: 'primary' }, { kind: 'individual', ref: ravi.id, role: 'backup' }] } }), 200);
    const result = await expectStatus<{ matched: number; updated: number; failed: number; items: { id: string; ok: boolean }[] }>(
      w.call('POST', '/v1/ownership/reassign', { body: { from: asha.id, to: ravi.id, filter: { tags: ['north'] } } }),
      200,
    );
    expect(result).toMatchObject({ matched: 3, updated: 3, failed: 0 });
    const after = await expectStatus<Milestone>(w.call('GET', `/v1/milestones/${made[2]!.id}`), 200);
    expect(after.owners).toEqual([{ kind: 'individual', ref: ravi.id, role: 'primary' }]);
    expect((await expectStatus<Milestone>(w.call('GET', `/v1/milestones/${made[0]!.id}`), 200)).owners).toEqual([{ kind: 'individual', ref: ravi.id, role: 'backup' }]);
    expect((await expectStatus<Milestone>(w.call('GET', `/v1/milestones/${made[3]!.id}`), 200)).owners[0]?.ref).toBe(asha.id);
    const toTeam = await expectStatus<{ updated: number }>(w.call('POST', '/v1/ownership/reassign', { body: { from: ravi.id, to: 'team:site', role: 'primary' } }), 200);
    expect(toTeam.updated).toBe(2);
    const history = await expectStatus<{ items: { kind: string; to: { ref: string }[] }[] }>(w.call('GET', `/v1/milestones/${made[1]!.id}/ownership-history`), 200);
    expect(history.items.map((h) => h.to.map((o) => o.ref))).toEqual([[asha.id], [ravi.id], ['site']]);
    await expectStatus(w.call('POST', '/v1/ownership/reassign', { body: { from: asha.id, to: asha.id } }), 422);
    const bad = await expectStatus<{ items: { ok: boolean; error?: { code: string } }[] }>(w.call('POST', '/v1/ownership/reassign', { body: { from: asha.id, to: 'per_ghost' } }), 200);
    expect(bad.items.every((i) => !i.ok && i.error?.code === 'invalid')).toBe(true);
  });
});
