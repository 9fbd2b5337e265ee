import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMilestones, milestoneQuery, milestonesCollection, type MilestoneDoc, type MilestoneFilter } from '../../core/milestones/index.ts';
import { createNedbStore, createStore, newId, type NewDoc } from '../../core/store/index.ts';
import { expectStatus, milestoneWorld, type Milestone } from './milestone-fixtures.ts';

// Milestone lists over a few thousand milestones, paged a few at a time: every page must hold
// what the same filter returns read whole (nedb's own full read), in order, without gaps or
// repeats, for one tenant only, while milestones change between pages.

const TODAY = '2025-06-15';
const store = createStore(createNedbStore({ dir: '', inMemory: true }));
const db = store.forTenant('t-list');
const other = store.forTenant('t-other');
const owners = Array.from({ length: 12 }, (_, i) => `per_${i}`);
const projects = Array.from({ length: 8 }, () => newId('prj'));
const STATUSES = ['planned', 'planned', 'in_progress', 'submitted', 'paid', 'cancelled'];
const CATEGORY: Record<string, MilestoneDoc['statusCategory']> = { planned: 'not_started', in_progress: 'active', submitted: 'active', paid: 'done', cancelled: 'cancelled' };

let seed = 5;
const rand = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function milestone(i: number): NewDoc<MilestoneDoc> {
  const status = pick(STATUSES);
  const due = `2025-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-10`;
  const who = [pick(owners), ...(rand() < 0.2 ? [pick(owners)] : [])];
  return {
    // Ids in no particular order relative to owners, so an owner's milestones interleave.
    _id: `ms_${String(Math.floor(rand() * 1e8)).padStart(8, '0')}_${i}`,
    revision: 1,
    projectId: pick(projects),
    kind: 'milestone',
    title: `M${i}`,
    tags: [pick(['a', 'b', 'c'])],
    percentComplete: 0,
    dueDate: due,
    overdueAfter: due,
    owners: [...new Set(who)].map((ref) => ({ kind: 'individual' as const, ref, role: 'primary' as const })),
    ownerRefs: [...new Set(who)],
    dependencies: [],
    status,
    statusCategory: CATEGORY[status]!,
    statusChangedAt: new Date(),
    workflow: { id: 'default', version: 1 },
    outbox: [],
    ...(i % 17 === 0 ? { visibility: ['admin', 'manager'] } : {}),
    ...(i % 29 === 0 ? { deletedAt: new Date() } : {}),
  } as NewDoc<MilestoneDoc>;
}

beforeAll(async () => {
  await db.collection(milestonesCollection).insertMany(Array.from({ length: 3000 }, (_, i) => milestone(i)));
  await other.collection(milestonesCollection).insertMany(Array.from({ length: 500 }, (_, i) => milestone(10_000 + i)));
});
afterAll(() => store.close());

/** Every milestone the filter lists, read whole in one go. */
async function everything(filter: MilestoneFilter, role?: string): Promise<string[]> {
  const all = await db.collection(milestonesCollection).find(milestoneQuery(filter, { today: TODAY, role }));
  return all.map((m) => m._id).sort();
}

async function paged(filter: MilestoneFilter, limit: number, role?: string, between?: (page: number) => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10_000; page += 1) {
    const got: Awaited<ReturnType<typeof listMilestones>> = await listMilestones(db, filter, { today: TODAY, role, limit, cursor });
    seen.push(...got.items.map((m) => m._id));
    cursor = got.nextCursor;
    if (!cursor) break;
    await between?.(page);
  }
  return seen;
}

const FILTERS: MilestoneFilter[] = [
  { owner: 'per_3' },
  { owner: 'per_4', status: ['planned', 'in_progress'] },
  { owner: 'per_5', overdue: true },
  { owner: 'per_6', overdue: false },
  { owner: 'per_7', projectId: projects[2] },
  { projectId: projects[1] },
  { projectId: projects[3], status: 'in_progress' },
  { projectId: projects[4], tags: ['b'] },
  { projectId: projects[5], overdue: true, owner: 'per_1' },
  { owner: 'nobody' },
];

describe('milestone lists paged over many milestones', () => {
  it('list each filter in id order without gaps or repeats, for one tenant and role', async () => {
    for (const role of [undefined, 'viewer']) {
      for (const filter of FILTERS) {
        const expected = await everything(filter, role);
        for (const limit of [1, 7, 50]) {
          if (limit === 1 && expected.length > 60) continue;
          expect(await paged(filter, limit, role), `${JSON.stringify(filter)} ${role} ${limit}`).toEqual(expected);
        }
      }
    }
    const owned = await everything({ owner: 'per_3' });
    expect(owned.length).toBeGreaterThan(100);
    const docs = await db.collection(milestonesCollection).find({ _id: { $in: owned } });
    for (const d of docs) expect(d.ownerRefs).toContain('per_3');
    // The other tenant holds milestones for the same owners; none shows.
    expect(owned.some((id) => Number(id.split('_')[2]) >= 10_000)).toBe(false);
  });

  it('show changes made between pages: a milestone that stops matching ahead of the cursor drops out', async () => {
    const filter: MilestoneFilter = { owner: 'per_8', status: ['planned', 'in_progress'] };
    const before = await everything(filter);
    expect(before.length).toBeGreaterThan(30);
    const leaving = before[before.length - 3]!;
    const seen = await paged(filter, 7, undefined, async (page) => {
      if (page === 1) await db.collection(milestonesCollection).updateOne({ _id: leaving }, { $set: { status: 'paid', statusCategory: 'done' } });
    });
    expect(seen).toEqual(before.filter((id) => id !== leaving));
    expect(await everything(filter)).toEqual(seen);
  });
});

describe('milestone list answers', () => {
  it('carry each milestone exactly as reading it alone does, dates included', async () => {
    const w = await milestoneWorld('list-json');
    const p = await w.project();
    const made = [await w.milestone(p.id, { title: 'A', dueDate: '2025-03-01', payment: { percent: 10 } }), await w.milestone(p.id, { title: 'B' })];
    await expectStatus(w.move(made[1]!.id, 'in_progress'), 200);
    const list = await expectStatus<{ items: Record<string, unknown>[] }>(w.call('GET', `/v1/milestones?projectId=${p.id}`), 200);
    expect(list.items).toHaveLength(2);
    for (const item of list.items) {
      const alone = await expectStatus<Milestone & Record<string, unknown>>(w.call('GET', `/v1/milestones/${String(item.id)}`), 200);
      expect(item).toEqual(alone);
      for (const k of ['createdAt', 'updatedAt', 'statusChangedAt']) expect(item[k]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    expect(list.items.find((m) => m.title === 'B')).toHaveProperty('startedAt');
  });
});
