import { describe, expect, it } from 'vitest';
import { expectStatus, milestoneWorld, type Milestone, type Problem } from './milestone-fixtures.ts';

describe('milestones: create, read, change, delete', () => {
  it('creates a milestone in the initial state of the default workflow, with version 1 and an ETag', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const res = await w.call('POST', '/v1/milestones', {
      body: { projectId: p.id, kind: 'milestone', title: 'Foundation', plannedStart: '2025-05-01', dueDate: '2025-05-30', payment: { percent: 12.5, gstRate: 18 }, tags: ['civil'] },
    });
    const m = await expectStatus<Milestone>(res, 201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(m).toMatchObject({ projectId: p.id, kind: 'milestone', status: 'planned', version: 1, workflow: { id: 'default', version: 1 }, tags: ['civil'] });
    // 12.5% of ₹1,00,00,000.00
    expect(m.payment).toMatchObject({ percent: 12.5, value: 12_50_000_00 });
    const got = await expectStatus<Milestone>(w.call('GET', `/v1/milestones/${m.id}`), 200);
    expect(got.id).toBe(m.id);
  });

  it('keeps the hierarchy: phase at the top, milestone under a phase, sub-milestone under a milestone', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const phase = await w.milestone(p.id, { kind: 'phase', title: 'Structure' });
    const m = await w.milestone(p.id, { kind: 'milestone', title: 'Slab 1', parentId: phase.id });
    const sub = await w.milestone(p.id, { kind: 'sub-milestone', title: 'Shuttering', parentId: m.id });
    expect(sub.parentId).toBe(m.id);
    const bad = [
      { kind: 'phase', parentId: phase.id },
      { kind: 'milestone', parentId: m.id },
      { kind: 'sub-milestone' },
      { kind: 'sub-milestone', parentId: phase.id },
      { kind: 'milestone', parentId: 'ms_nope' },
    ];
    for (const body of bad) {
      const problem = await expectStatus<Problem>(w.call('POST', '/v1/milestones', { body: { projectId: p.id, title: 'x', ...body } }), 422);
      expect(problem.errors?.[0]?.path, JSON.stringify(body)).toBe('body.parentId');
    }
    const other = await w.project({ name: 'Other' });
    const foreign = await expectStatus<Problem>(w.call('POST', '/v1/milestones', { body: { projectId: other.id, kind: 'milestone', title: 'x', parentId: phase.id } }), 422);
    expect(foreign.errors?.[0]?.code).toBe('parent_in_other_project');
  });

  it('answers every bad input with a clear 4xx naming the field', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ plannedStart: '2025-06-10', dueDate: '2025-06-01' }, 422, 'body.dueDate', 'due_before_start'],
      [{ dueDate: '2025-02-30' }, 422, 'body.dueDate', 'invalid_date'],
      [{ status: 'half_done' }, 422, 'body.status', 'unknown_status'],
      [{ payment: { amount: 100, percent: 10 } }, 422, 'body.payment', 'amount_and_percent'],
      [{ payment: { percent: 10.125 } }, 422, 'body.payment.percent', 'too_precise'],
      [{ payment: { percent: 101 } }, 400, 'body.payment.percent', 'too_big'],
      [{ payment: { amount: 10.5 } }, 400, 'body.payment.amount', 'invalid_type'],
      [{ owners: [{ kind: 'individual', ref: 'per_nobody', role: 'primary' }] }, 422, 'body.owners.0.ref', 'unknown_person'],
      [{ dependencies: [{ on: 'ms_unknown', type: 'finish-to-start' }] }, 422, 'body.dependencies.0.on', 'unknown_milestone'],
      [{ dependencies: [{ on: 'x', type: 'conditional' }] }, 422, 'body.dependencies.0.condition', 'invalid_dependency'],
      [{ kind: 'epic' }, 400, 'body.kind', 'invalid_value'],
      [{ title: '' }, 400, 'body.title', 'too_small'],
      [{ surprise: true }, 400, 'body', 'unrecognized_keys'],
    ];
    for (const [body, status, path, code] of cases) {
      const problem = await expectStatus<Problem>(w.call('POST', '/v1/milestones', { body: { projectId: p.id, title: 'x', ...body } }), status);
      const hit = problem.errors?.find((e) => e.path === path);
      expect(hit, `${JSON.stringify(body)} → ${JSON.stringify(problem.errors)}`).toBeDefined();
      if (status === 422) expect(hit?.code).toBe(code);
      expect(problem.detail.length).toBeGreaterThan(5);
    }
    const none = await expectStatus<Problem>(w.call('POST', '/v1/milestones', { body: { projectId: 'prj_missing', title: 'x' } }), 422);
    expect(none.errors?.[0]).toMatchObject({ path: 'body.projectId', code: 'unknown_project' });
  });

  it('refuses payment splits over 100% of the contract, in percent and in paise, exactly', async () => {
    const w = await milestoneWorld();
    const p = await w.project({ contractValue: 1000_00 });
    await w.milestone(p.id, { title: 'Advance', payment: { percent: 33.33 } });
    await w.milestone(p.id, { title: 'Middle', payment: { percent: 33.33 } });
    await w.milestone(p.id, { title: 'Fixed', payment: { amount: 333_40 } });
    // 33.33% + 33.33% + 333.40 of 1000.00 = 100.00% exactly: one more paisa is too much.
    const over = await expectStatus<Problem>(w.call('POST', '/v1/milestones', { body: { projectId: p.id, title: 'Tip', payment: { amount: 1 } } }), 422);
    expect(over.errors?.[0]).toMatchObject({ path: 'body.payment.amount', code: 'payment_split_over_100' });
    expect(over.detail).toMatch(/over 100%/);
    const pct = await expectStatus<Problem>(w.call('POST', '/v1/milestones', { body: { projectId: p.id, title: 'Tip', payment: { percent: 0.01 } } }), 422);
    expect(pct.errors?.[0]?.code).toBe('payment_split_over_100');
    await w.milestone(p.id, { title: 'Zero', payment: { amount: 0 } });
    // Lowering the contract value below the fixed amounts is refused too.
    const lower = await expectStatus<Problem>(w.call('PATCH', `/v1/projects/${p.id}`, { body: { contractValue: 300_00 } }), 422);
    expect(lower.errors?.[0]?.path).toBe('body.contractValue');
  });

  it('patches partially with If-Match or version, and answers a stale version with 409', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const m = await w.milestone(p.id, { title: 'Plinth', tags: ['a'] });
    const ok = await w.call('PATCH', `/v1/milestones/${m.id}`, { body: { title: 'Plinth beam', percentComplete: 40 }, headers: { 'If-Match': '"1"' } });
    const changed = await expectStatus<Milestone>(ok, 200);
    expect(changed).toMatchObject({ title: 'Plinth beam', percentComplete: 40, version: 2, tags: ['a'] });
    expect(ok.headers.get('etag')).toBe('"2"');
    const stale = await expectStatus<Problem>(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { title: 'Late' }, headers: { 'If-Match': '1' } }), 409);
    expect(stale).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
    await expectStatus<Problem>(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { title: 'Late', version: 1 } }), 409);
    await expectStatus(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { title: 'On time', version: 2 } }), 200);
    // Unchanged fields keep the version; null clears an optional field.
    const same = await expectStatus<Milestone>(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { title: 'On time' } }), 200);
    expect(same.version).toBe(3);
    const cleared = await expectStatus<Milestone>(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { tags: [], description: 'x' } }), 200);
    expect(cleared.tags).toEqual([]);
    const noDesc = await expectStatus<Milestone>(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { description: null } }), 200);
    expect(noDesc.description).toBeUndefined();
    const bad = await expectStatus<Problem>(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { status: 'verified' } }), 422);
    expect(bad.errors?.[0]?.code).toBe('use_transition');
    const unknown = await expectStatus<Problem>(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { status: 'bogus' } }), 422);
    expect(unknown.errors?.[0]?.code).toBe('unknown_status');
    await expectStatus(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { title: 'x' }, headers: { 'If-Match': 'abc' } }), 400);
  });

  it('validates custom field values on every write', async () => {
    const w = await milestoneWorld();
    await expectStatus(w.call('POST', '/v1/custom-fields', { body: { key: 'siteArea', label: 'Site area', type: 'number', min: 0, appliesTo: 'milestone' } }), 201);
    await expectStatus(w.call('POST', '/v1/custom-fields', { body: { key: 'permit', label: 'Permit', type: 'enum', enumValues: ['pending', 'granted'], required: true, appliesTo: 'milestone' } }), 201);
    const p = await w.project();
    const missing = await expectStatus<Problem>(w.call('POST', '/v1/milestones', { body: { projectId: p.id, title: 'x' } }), 422);
    expect(missing.errors?.map((e) => e.path)).toContain('body.customFields.permit');
    const wrong = await expectStatus<Problem>(w.call('POST', '/v1/milestones', { body: { projectId: p.id, title: 'x', customFields: { permit: 'maybe', siteArea: -1, colour: 'red' } } }), 422);
    expect(wrong.errors?.map((e) => e.path).sort()).toEqual(['body.customFields.colour', 'body.customFields.permit', 'body.customFields.siteArea']);
    const m = await w.milestone(p.id, { customFields: { permit: 'pending', siteArea: 1200 } });
    expect(m.customFields).toEqual({ permit: 'pending', siteArea: 1200 });
    const patched = await expectStatus<Milestone>(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { customFields: { permit: 'granted' } } }), 200);
    expect(patched.customFields).toEqual({ permit: 'granted', siteArea: 1200 });
    await expectStatus(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { customFields: { siteArea: 'big' } } }), 422);
    await expectStatus(w.call('PATCH', `/v1/milestones/${m.id}`, { body: { customFields: { permit: null } } }), 422);
  });

  it('deletes softly, refusing while other milestones hang on it', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const a = await w.milestone(p.id, { title: 'A' });
    const b = await w.milestone(p.id, { title: 'B', dependencies: [{ on: a.id, type: 'finish-to-start' }] });
    const refused = await expectStatus<Problem>(w.call('DELETE', `/v1/milestones/${a.id}`), 409);
    expect(refused.detail).toContain(b.id);
    expect((await w.call('DELETE', `/v1/milestones/${b.id}`)).status).toBe(204);
    expect((await w.call('DELETE', `/v1/milestones/${a.id}`)).status).toBe(204);
    await expectStatus(w.call('GET', `/v1/milestones/${a.id}`), 404);
    const list = await expectStatus<{ items: Milestone[] }>(w.call('GET', `/v1/milestones?projectId=${p.id}`), 200);
    expect(list.items).toHaveLength(0);
    // History outlives the milestone.
    const history = await expectStatus<{ items: { action: string }[] }>(w.call('GET', `/v1/milestones/${a.id}/history`), 200);
    expect(history.items.map((e) => e.action)).toEqual(['milestone.created', 'milestone.deleted']);
  });

  it("answers another tenant's milestone and project with 404 on every verb", async () => {
    const w = await milestoneWorld('alpha');
    const p = await w.project();
    const m = await w.milestone(p.id);
    const other = await w.tenant('beta');
    const as = (method: string, path: string, body?: unknown) => w.app.request(path, {
      method,
      headers: { Authorization: `Bearer ${other.key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    for (const [method, path, body] of [
      ['GET', `/v1/milestones/${m.id}`],
      ['PATCH', `/v1/milestones/${m.id}`, { title: 'stolen' }],
      ['DELETE', `/v1/milestones/${m.id}`],
      ['POST', `/v1/milestones/${m.id}/transitions`, { to: 'in_progress' }],
      ['GET', `/v1/milestones/${m.id}/history`],
      ['POST', `/v1/milestones/${m.id}/verifications`, {}],
      ['POST', `/v1/milestones/${m.id}/duplicate`, {}],
      ['GET', `/v1/projects/${p.id}`],
      ['PATCH', `/v1/projects/${p.id}`, { name: 'stolen' }],
      ['DELETE', `/v1/projects/${p.id}`],
      ['GET', `/v1/projects/${p.id}/schedule`],
      ['GET', `/v1/projects/${p.id}/milestones/export`],
      ['POST', `/v1/projects/${p.id}/apply-template`, { templateId: 'construction-residential-building', startDate: '2025-04-01' }],
    ] as [string, string, unknown?][]) {
      const res = await as(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    // Another tenant cannot link to it either.
    const theirs = await expectStatus<{ id: string }>(
      w.app.request('/v1/projects', { method: 'POST', headers: { Authorization: `Bearer ${other.key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'B', client: { name: 'B', stateCode: '29' }, contractValue: 100 }) }),
      201,
    );
    const link = await expectStatus<Problem>(
      w.app.request('/v1/milestones', { method: 'POST', headers: { Authorization: `Bearer ${other.key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ projectId: theirs.id, title: 'x', dependencies: [{ on: m.id }] }) }),
      422,
    );
    expect(link.errors?.[0]?.code).toBe('unknown_milestone');
    expect((await expectStatus<Milestone>(w.call('GET', `/v1/milestones/${m.id}`), 200)).title).toBe('Milestone');
  });

  it('rejects dependencies on another project’s milestones', async () => {
    const w = await milestoneWorld();
    const p1 = await w.project();
    const p2 = await w.project({ name: 'Second' });
    const there = await w.milestone(p2.id);
    const problem = await expectStatus<Problem>(w.call('POST', '/v1/milestones', { body: { projectId: p1.id, title: 'x', dependencies: [{ on: there.id }] } }), 422);
    expect(problem.errors?.[0]).toMatchObject({ path: 'body.dependencies.0.on', code: 'dependency_in_other_project' });
  });
});

describe('milestones: lists', () => {
  async function seeded() {
    const w = await milestoneWorld();
    const person = await expectStatus<{ id: string }>(w.call('POST', '/v1/people', { body: { name: 'Asha', email: 'asha@example.in' } }), 201);
    const p = await w.project();
    const q = await w.project({ name: 'Q' });
    const made: Milestone[] = [];
    for (let i = 0; i < 25; i += 1) {
      made.push(
        await w.milestone(i % 5 === 0 ? q.id : p.id, {
          title: `M${i}`,
          dueDate: `2025-01-${String(i + 1).padStart(2, '0')}`,
          tags: i % 2 === 0 ? ['even'] : ['odd', i % 3 === 0 ? 'three' : 'other'],
          ...(i % 4 === 0 ? { owners: [{ kind: 'individual', ref: person.id, role: 'primary' }] } : {}),
          ...(i % 6 === 0 ? { owners: [{ kind: 'team', ref: 'site-crew', role: 'backup' }] } : {}),
        }),
      );
    }
    await expectStatus(w.move(made[1]!.id, 'in_progress'), 200);
    await expectStatus(w.move(made[3]!.id, 'in_progress'), 200);
    return { w, p, q, person, made };
  }

  it('filters by project, status, owner, tag, due dates, overdue, kind and parent', async () => {
    const { w, p, q, person, made } = await seeded();
    const ids = async (query: string) => (await expectStatus<{ items: Milestone[] }>(w.call('GET', `/v1/milestones?${query}&limit=100`), 200)).items.map((m) => m.title);
    expect(await ids(`projectId=${q.id}`)).toEqual(['M0', 'M5', 'M10', 'M15', 'M20']);
    expect(await ids('status=in_progress')).toEqual(['M1', 'M3']);
    expect(await ids('status=in_progress,planned')).toHaveLength(25);
    expect(await ids(`owner=${person.id}`)).toEqual(['M4', 'M8', 'M16', 'M20']);
    expect(await ids('owner=team:site-crew')).toEqual(['M0', 'M6', 'M12', 'M18', 'M24']);
    expect(await ids('tag=odd&tag=three')).toEqual(['M3', 'M9', 'M15', 'M21']);
    expect(await ids('tag=odd,three')).toEqual(['M3', 'M9', 'M15', 'M21']);
    expect(await ids('dueBefore=2025-01-04')).toEqual(['M0', 'M1', 'M2']);
    expect(await ids('dueAfter=2025-01-22')).toEqual(['M22', 'M23', 'M24']);
    expect(await ids(`dueAfter=2025-01-02&dueBefore=2025-01-05&projectId=${p.id}`)).toEqual(['M2', 'M3']);
    // Every one is past due (January 2025) and open, until it is closed.
    expect(await ids('overdue=true')).toHaveLength(25);
    await expectStatus(w.call('PATCH', `/v1/milestones/${made[2]!.id}`, { body: { gracePeriodDays: 100_0 } }), 200);
    expect(await ids('overdue=true')).toHaveLength(24);
    expect(await ids('overdue=false')).toEqual(['M2']);
    expect(await ids('kind=phase')).toEqual([]);
    expect(await ids(`parentId=${made[0]!.id}`)).toEqual([]);
    const bad = await expectStatus<Problem>(w.call('GET', '/v1/milestones?status=nonsense'), 422);
    expect(bad.errors?.[0]).toMatchObject({ path: 'query.status', code: 'unknown_status' });
    await expectStatus(w.call('GET', '/v1/milestones?dueBefore=yesterday'), 422);
    await expectStatus(w.call('GET', '/v1/milestones?overdue=maybe'), 400);
  });

  it('pages with a cursor, without gaps or repeats, under filters', async () => {
    const { w, p } = await seeded();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: Milestone[]; nextCursor: string | null } = await expectStatus(
        w.call('GET', `/v1/milestones?projectId=${p.id}&limit=6${cursor ? `&cursor=${cursor}` : ''}`),
        200,
      );
      seen.push(...page.items.map((m) => m.title));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
    const tagged = await expectStatus<{ items: Milestone[]; nextCursor: string }>(w.call('GET', '/v1/milestones?tag=even&limit=5'), 200);
    const next = await expectStatus<{ items: Milestone[]; nextCursor: string | null }>(w.call('GET', `/v1/milestones?tag=even&limit=5&cursor=${tagged.nextCursor}`), 200);
    expect([...tagged.items, ...next.items].map((m) => m.title)).toEqual(['M0', 'M2', 'M4', 'M6', 'M8', 'M10', 'M12', 'M14', 'M16', 'M18']);
    const bad = await expectStatus<Problem>(w.call('GET', '/v1/milestones?cursor=not-a-cursor'), 400);
    expect(bad.code).toBe('invalid_cursor');
  });

  it('hides milestones whose visibility leaves out the key’s role', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const open = await w.milestone(p.id, { title: 'Open' });
    const secret = await w.milestone(p.id, { title: 'Board only', visibility: ['admin', 'manager'] });
    const viewer = await w.keyFor('viewer');
    const manager = await w.keyFor('manager');
    const asViewer = (path: string) => w.callAs(viewer.key, 'GET', path);
    const listed = await expectStatus<{ items: Milestone[] }>(asViewer(`/v1/milestones?projectId=${p.id}`), 200);
    expect(listed.items.map((m) => m.id)).toEqual([open.id]);
    await expectStatus(asViewer(`/v1/milestones/${secret.id}`), 404);
    await expectStatus(asViewer(`/v1/milestones/${open.id}`), 200);
    const managerList = await expectStatus<{ items: Milestone[] }>(w.callAs(manager.key, 'GET', `/v1/milestones?projectId=${p.id}`), 200);
    expect(managerList.items).toHaveLength(2);
    // Viewers read but do not write.
    await expectStatus(w.callAs(viewer.key, 'PATCH', `/v1/milestones/${open.id}`, { body: { title: 'x' } }), 403);
  });

  it('updates in bulk by filter with a result per milestone', async () => {
    const { w, made } = await seeded();
    const result = await expectStatus<{ matched: number; updated: number; failed: number; items: { id: string; ok: boolean; error?: { code: string } }[] }>(
      w.call('POST', '/v1/milestones/bulk', { body: { filter: { tags: ['odd'], status: 'planned' }, set: { priority: 'high', tags: ['odd', 'flagged'] } } }),
      200,
    );
    expect(result.matched).toBe(10);
    expect(result.updated).toBe(10);
    const flagged = await expectStatus<{ items: Milestone[] }>(w.call('GET', '/v1/milestones?tag=flagged&limit=100'), 200);
    expect(flagged.items).toHaveLength(10);
    expect(flagged.items.every((m) => m.priority === 'high')).toBe(true);
    const partly = await expectStatus<typeof result>(
      w.call('POST', '/v1/milestones/bulk', { body: { filter: { ids: [made[0]!.id, made[1]!.id] }, set: { plannedStart: '2025-01-05' } } }),
      200,
    );
    // M0 is due 2025-01-01, before the new start; M1 (due 01-02) too: each reports its own refusal.
    expect(partly.items.map((i) => [i.ok, i.error?.code])).toEqual([[false, 'invalid'], [false, 'invalid']]);
    await expectStatus(w.call('POST', '/v1/milestones/bulk', { body: { filter: {}, set: { priority: 'low' } } }), 400);
    await expectStatus(w.call('POST', '/v1/milestones/bulk', { body: { filter: { tag: 'odd' }, set: { status: 'paid' } } }), 400);
  });
});
