import { describe, expect, it } from 'vitest';
import { expectStatus, milestoneWorld, type Milestone, type Problem } from './milestone-fixtures.ts';

async function allMilestones(w: Awaited<ReturnType<typeof milestoneWorld>>, projectId: string): Promise<Milestone[]> {
  const out: Milestone[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Milestone[]; nextCursor: string | null } = await expectStatus(w.call('GET', `/v1/milestones?projectId=${projectId}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`), 200);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

describe('apply a template', () => {
  it('creates phases, milestones and sub-milestones whose payments add up to the contract value to the paisa', async () => {
    const w = await milestoneWorld();
    // ₹1,23,45,678.91: an awkward value, so rounding would show.
    const p = await w.project({ contractValue: 1_23_45_678_91 });
    const applied = await expectStatus<{ created: number; phases: number; milestones: number; subMilestones: number; paymentTotal: number }>(
      w.call('POST', `/v1/projects/${p.id}/apply-template`, { body: { templateId: 'construction-residential-building', startDate: '2025-04-01', scale: 3 } }),
      201,
    );
    expect(applied.created).toBe(applied.phases + applied.milestones + applied.subMilestones);
    expect(applied.paymentTotal).toBe(1_23_45_678_91);
    const all = await allMilestones(w, p.id);
    expect(all).toHaveLength(applied.created);
    const paid = all.filter((m) => m.payment?.amount !== undefined);
    expect(paid.length).toBeGreaterThan(1);
    expect(paid.reduce((sum, m) => sum + m.payment!.amount!, 0)).toBe(1_23_45_678_91);
    expect(paid.every((m) => Number.isSafeInteger(m.payment!.amount))).toBe(true);
    // The hierarchy and dependencies point at the created milestones.
    const byId = new Map(all.map((m) => [m.id, m]));
    for (const m of all) {
      if (m.kind === 'phase') expect(m.parentId).toBeUndefined();
      if (m.kind === 'milestone' && m.parentId) expect(byId.get(m.parentId)?.kind).toBe('phase');
      if (m.kind === 'sub-milestone') expect(byId.get(m.parentId!)?.kind).toBe('milestone');
      for (const d of m.dependencies) expect(byId.has(d.on)).toBe(true);
      expect(m.status).toBe('planned');
      expect(m.plannedStart! <= m.dueDate!).toBe(true);
    }
    expect(all.some((m) => m.dependencies.length > 0)).toBe(true);
    // The schedule runs over what was created.
    const schedule = await expectStatus<{ criticalPath: string[]; items: { id: string; slack: number }[] }>(w.call('GET', `/v1/projects/${p.id}/schedule`), 200);
    expect(schedule.items).toHaveLength(all.length);
    expect(schedule.criticalPath.length).toBeGreaterThan(0);
    expect(schedule.items.every((i) => i.slack >= 0)).toBe(true);
    // The template took the whole contract: applying it again would pay twice.
    const again = await expectStatus<Problem>(w.call('POST', `/v1/projects/${p.id}/apply-template`, { body: { templateId: 'construction-residential-building', startDate: '2025-04-01' } }), 422);
    expect(again.errors?.[0]?.code).toBe('payment_split_over_100');
  });

  it('creates more than a thousand milestones in one call, audited and with their events', async () => {
    const w = await milestoneWorld();
    const p = await w.project({ contractValue: 99_99_99_999 });
    const applied = await expectStatus<{ created: number; paymentTotal: number }>(
      w.call('POST', `/v1/projects/${p.id}/apply-template`, { body: { templateId: 'retail-store-rollout', startDate: '2025-04-01', scale: 150, complexity: 'enterprise', region: 'IN-MH' } }),
      201,
    );
    expect(applied.created).toBeGreaterThan(1000);
    expect(applied.paymentTotal).toBe(99_99_99_999);
    const all = await allMilestones(w, p.id);
    expect(all).toHaveLength(applied.created);
    expect(all.reduce((sum, m) => sum + (m.payment?.amount ?? 0), 0)).toBe(99_99_99_999);
    const verify = await expectStatus<{ ok: boolean; count: number }>(w.call('GET', '/v1/audit/verify'), 200);
    expect(verify).toMatchObject({ ok: true });
    expect(verify.count).toBeGreaterThan(applied.created);
  });

  it('refuses unknown templates, regions and bad options with 4xx', async () => {
    const w = await milestoneWorld();
    const p = await w.project();
    const base = { templateId: 'construction-residential-building', startDate: '2025-04-01' };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...base, templateId: 'no-such-template' }, 422, 'body.templateId'],
      [{ ...base, region: 'IN-XX' }, 422, 'body.region'],
      [{ ...base, startDate: '2025-13-01' }, 422, 'body.startDate'],
      [{ ...base, scale: 0 }, 400, 'body.scale'],
      [{ ...base, complexity: 'huge' }, 400, 'body.complexity'],
    ];
    for (const [body, status, path] of cases) {
      const problem = await expectStatus<Problem>(w.call('POST', `/v1/projects/${p.id}/apply-template`, { body }), status);
      expect(problem.errors?.map((e) => e.path), JSON.stringify(body)).toContain(path);
    }
    await expectStatus(w.call('POST', '/v1/projects/prj_missing/apply-template', { body: base }), 404);
    const none = await allMilestones(w, p.id);
    expect(none).toHaveLength(0);
  });
});
