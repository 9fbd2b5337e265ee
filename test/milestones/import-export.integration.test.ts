import { describe, expect, it } from 'vitest';
import { expectStatus, milestoneWorld, type Milestone, type Problem } from './milestone-fixtures.ts';

type World = Awaited<ReturnType<typeof milestoneWorld>>;

interface Export {
  format: string;
  project: { id: string };
  milestones: Milestone[];
}

const VOLATILE = ['id', 'projectId', 'createdAt', 'updatedAt', 'statusChangedAt', 'startedAt', 'completedAt', 'version'];

/** A milestone without what an import necessarily changes (ids, timestamps), its links rewritten as titles. */
function comparable(all: readonly Milestone[]) {
  const titleOf = new Map(all.map((m) => [m.id, m.title]));
  return all.map((m) => {
    const copy: Record<string, unknown> = { ...m, parent: m.parentId ? titleOf.get(m.parentId) : undefined, dependencies: m.dependencies.map((d) => ({ ...d, on: titleOf.get(d.on) })) };
    for (const k of [...VOLATILE, 'parentId']) delete copy[k];
    return copy;
  });
}

async function richProject(w: World) {
  await expectStatus(w.call('POST', '/v1/custom-fields', { body: { key: 'siteArea', label: 'Site area', type: 'number', appliesTo: 'milestone' } }), 201);
  const person = await expectStatus<{ id: string }>(w.call('POST', '/v1/people', { body: { name: 'Ravi', phone: '98765 43210' } }), 201);
  const p = await w.project();
  const phase = await w.milestone(p.id, { kind: 'phase', title: 'Structure, "phase" one', plannedStart: '2025-04-01', dueDate: '2025-09-30' });
  const a = await w.milestone(p.id, {
    parentId: phase.id,
    title: 'Foundation',
    description: 'Line one\nline two, with a comma',
    type: 'deliverable',
    category: 'civil',
    tags: ['civil', 'critical-path'],
    priority: 'high',
    risk: 'medium',
    complexity: 'complex',
    region: 'IN-MH',
    plannedStart: '2025-04-01',
    dueDate: '2025-04-30',
    gracePeriodDays: 5,
    percentComplete: 20,
    payment: { percent: 15, gstRate: 18, dueInDays: 30, hsnSac: '995411' },
    owners: [{ kind: 'individual', ref: person.id, role: 'primary' }, { kind: 'team', ref: 'site-crew', role: 'backup' }],
    visibility: ['admin', 'manager'],
    customFields: { siteArea: 1200.5 },
    verificationMethod: 'hybrid',
  });
  const b = await w.milestone(p.id, { parentId: phase.id, title: '=SUM(A1)', dependencies: [{ on: a.id, type: 'conditional', condition: 'percentComplete >= 50' }], payment: { amount: 12_34_567_89 } });
  await w.milestone(p.id, { kind: 'sub-milestone', parentId: b.id, title: 'Cube tests', dependencies: [{ on: a.id, type: 'start-to-start', lagDays: 2 }] });
  await expectStatus(w.move(a.id, 'in_progress'), 200);
  return p;
}

describe('import and export', () => {
  it('round-trips a project’s milestones through JSON without losing anything', async () => {
    const w = await milestoneWorld();
    const p = await richProject(w);
    const exported = await expectStatus<Export>(w.call('GET', `/v1/projects/${p.id}/milestones/export?format=json`), 200);
    expect(exported.format).toBe('milestone-hub/milestones@1');
    expect(exported.milestones).toHaveLength(4);
    const target = await w.project({ name: 'Copy' });
    const imported = await expectStatus<{ created: number; ids: Record<string, string> }>(w.call('POST', `/v1/projects/${target.id}/milestones/import`, { body: exported }), 201);
    expect(imported.created).toBe(4);
    const again = await expectStatus<Export>(w.call('GET', `/v1/projects/${target.id}/milestones/export`), 200);
    expect(comparable(again.milestones)).toEqual(comparable(exported.milestones));
    // Ids in the file map to the new ones.
    expect(Object.keys(imported.ids).sort()).toEqual(exported.milestones.map((m) => m.id).sort());
  });

  it('keeps each milestone on its workflow version through the round trip', async () => {
    const w = await milestoneWorld();
    const states = [
      { id: 'planned', label: 'Planned', category: 'not_started' },
      { id: 'on_site', label: 'On site', category: 'active' },
      { id: 'done', label: 'Done', category: 'done' },
    ];
    const definition = { id: 'site-work', name: 'Site work', initial: 'planned', states, transitions: [{ from: 'planned', to: 'on_site' }, { from: 'on_site', to: 'done' }] };
    await expectStatus(w.call('POST', '/v1/workflows', { body: definition }), 201);
    await expectStatus(w.call('POST', '/v1/workflows/site-work/default', { body: {} }), 200);
    const p = await w.project();
    const m = await w.milestone(p.id, { title: 'Pour' });
    await expectStatus(w.move(m.id, 'on_site'), 200);
    await expectStatus(w.call('POST', '/v1/workflows/site-work/versions', { body: { ...definition, name: 'Site work v2' } }), 201);
    const exported = await expectStatus<Export>(w.call('GET', `/v1/projects/${p.id}/milestones/export`), 200);
    const target = await w.project({ name: 'Copy' });
    await expectStatus(w.call('POST', `/v1/projects/${target.id}/milestones/import`, { body: exported }), 201);
    const copied = await expectStatus<Export>(w.call('GET', `/v1/projects/${target.id}/milestones/export`), 200);
    expect(copied.milestones[0]).toMatchObject({ status: 'on_site', workflow: { id: 'site-work', version: 1 } });
    const unknown = await expectStatus<Problem & { rows: { row: number; column: string }[] }>(
      w.call('POST', `/v1/projects/${target.id}/milestones/import`, { body: { milestones: [{ ...exported.milestones[0], workflow: { id: 'site-work', version: 9 } }] } }),
      422,
    );
    expect(unknown.rows[0]).toMatchObject({ row: 1, column: 'workflow' });
  });

  it('round-trips through CSV, formulas kept as text', async () => {
    const w = await milestoneWorld();
    const p = await richProject(w);
    const res = await w.call('GET', `/v1/projects/${p.id}/milestones/export?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = await res.text();
    expect(csv.split('\r\n')[0]).toMatch(/^id,parentId,kind,title,/);
    expect(csv).toContain(`'=SUM(A1)`);
    const target = await w.project({ name: 'Copy' });
    await expectStatus(w.call('POST', `/v1/projects/${target.id}/milestones/import`, { body: csv, headers: { 'Content-Type': 'text/csv' } }), 201);
    const before = await expectStatus<Export>(w.call('GET', `/v1/projects/${p.id}/milestones/export`), 200);
    const after = await expectStatus<Export>(w.call('GET', `/v1/projects/${target.id}/milestones/export`), 200);
    expect(comparable(after.milestones)).toEqual(comparable(before.milestones));
  });

  it('reports bad CSV rows with their row and column, and imports nothing unless partial', async () => {
    const w = await milestoneWorld();
    const p = await w.project({ contractValue: 100_000_00 });
    const csv = [
      'id,parentId,kind,title,plannedStart,dueDate,paymentPercent,dependencies,status',
      'p1,,phase,Design,2025-04-01,2025-04-30,,,',
      'm1,p1,milestone,Drawings,2025-04-01,2025-04-10,20,,',
      'm2,p1,milestone,Approvals,2025-04-20,2025-04-11,10,m1,',
      'm3,p1,milestone,Permit,2025-04-01,2025-04-02,abc,,',
      'm4,p1,milestone,"Site survey, north",2025-04-03,2025-04-05,,m2,',
      'm5,p1,milestone,Fencing,2025-04-03,2025-04-05,,,half_done',
      'm6,p1,milestone,Mobilise,2025-04-06,2025-04-08,30,m1,planned',
      '',
    ].join('\r\n');
    const problem = await expectStatus<Problem & { rows: { row: number; column: string; message: string }[]; imported: number }>(
      w.call('POST', `/v1/projects/${p.id}/milestones/import`, { body: csv, headers: { 'Content-Type': 'text/csv; charset=utf-8' } }),
      422,
    );
    const found = problem.rows.map((r) => `${r.row}:${r.column}`);
    expect(found).toEqual(['4:dueDate', '5:paymentPercent', '7:status']);
    expect(problem.errors?.find((e) => e.path === 'rows.4.dueDate')?.message).toMatch(/^row 4, column dueDate: the due date 2025-04-11 is before the planned start 2025-04-20/);
    expect(problem.imported).toBe(0);
    const none = await expectStatus<{ items: unknown[] }>(w.call('GET', `/v1/milestones?projectId=${p.id}`), 200);
    expect(none.items).toHaveLength(0);

    const partial = await expectStatus<{ created: number; ids: Record<string, string>; skipped: { row: number; column: string }[] }>(
      w.call('POST', `/v1/projects/${p.id}/milestones/import?partial=true`, { body: csv, headers: { 'Content-Type': 'text/csv' } }),
      201,
    );
    expect(Object.keys(partial.ids).sort()).toEqual(['m1', 'm6', 'p1']);
    expect(partial.created).toBe(3);
    expect(partial.skipped.map((s) => `${s.row}:${s.column}`)).toEqual(['4:dueDate', '5:paymentPercent', '6:dependencies', '7:status']);
    const created = await expectStatus<{ items: Milestone[] }>(w.call('GET', `/v1/milestones?projectId=${p.id}`), 200);
    expect(created.items.map((m) => m.title)).toEqual(['Design', 'Drawings', 'Mobilise']);
    expect(created.items[2]!.dependencies[0]!.on).toBe(partial.ids.m1);
  });

  it('refuses malformed CSV, unknown columns and bodies it cannot read, with the row', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const post = (body: string, type = 'text/csv') => w.call('POST', `/v1/projects/${p.id}/milestones/import`, { body, headers: { 'Content-Type': type } });
    const quote = await expectStatus<Problem & { rows: { row: number }[] }>(post('title,kind\n"Unclosed,milestone\n'), 422);
    expect(quote.rows[0]?.row).toBe(2);
    const column = await expectStatus<Problem & { rows: { row: number; column: string }[] }>(post('title,colour\nA,red\n'), 422);
    expect(column.rows[0]).toMatchObject({ row: 1, column: 'colour' });
    const count = await expectStatus<Problem & { rows: { row: number }[] }>(post('title,kind\nA,milestone,extra\n'), 422);
    expect(count.rows[0]?.row).toBe(2);
    await expectStatus(post('<xml/>', 'application/xml'), 415);
    await expectStatus(w.call('POST', `/v1/projects/${p.id}/milestones/import`, { body: { nothing: true } }), 400);
    await expectStatus(w.call('POST', `/v1/projects/${p.id}/milestones/import`, { body: { milestones: [42] } }), 422);
    const cycle = await expectStatus<Problem & { cycle: string[] }>(post('id,title,dependencies\na,A,b\nb,B,a\n'), 422);
    expect(cycle.detail).toMatch(/cycle/);
    // Other project routes still take JSON only.
    await expectStatus(w.call('POST', '/v1/projects', { body: 'name,client', headers: { 'Content-Type': 'text/csv' } }), 415);
  });
});
