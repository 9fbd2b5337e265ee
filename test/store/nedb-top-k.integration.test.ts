import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNedbStore, createStore, type BaseDoc, type CollectionDef, type Filter, type RawStore, type SortSpec } from '../../core/store/index.ts';

// Sorted reads with a limit pick their top k without sorting every match. The reference is the
// same adapter reading without a limit (nedb's own cursor: every match, stable-sorted), sliced.

interface Row extends BaseDoc {
  a?: number | null;
  b: string;
  d: Date;
  tags: string[];
  n: { x: number };
  grp: string;
}

const def: CollectionDef<Row> = {
  name: 'rows',
  scope: 'tenant',
  indexes: [{ fields: { grp: 1 } }, { fields: { tags: 1 } }, { fields: { tenantId: 1, b: 1 } }],
};

let seed = 7;
const rand = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const raw = createNedbStore({ dir: '', inMemory: true });
const store = createStore(raw);
const rows = store.forTenant('t1').collection(def);
let rawRows: Awaited<ReturnType<RawStore['collection']>>;
const COUNT = 3000;

beforeAll(async () => {
  // Few distinct values, so ties are everywhere; some documents lack `a` or hold null.
  const docs = Array.from({ length: COUNT }, (_, i) => ({
    _id: `r${String(Math.floor(rand() * 1e9)).padStart(9, '0')}-${i}`,
    ...(i % 7 === 0 ? {} : { a: i % 11 === 0 ? null : Math.floor(rand() * 5) }),
    b: pick(['x', 'y', 'z']),
    d: new Date(Date.UTC(2025, 0, 1 + Math.floor(rand() * 30))),
    tags: [pick(['red', 'green', 'blue']), ...(rand() < 0.3 ? ['rare'] : [])],
    n: { x: Math.floor(rand() * 4) },
    grp: i < 40 ? 'small' : pick(['g1', 'g2']),
  }));
  await rows.insertMany(docs);
  // Another tenant's documents interleave with these and must never show.
  await store.forTenant('t2').collection(def).insertMany(docs.slice(0, 500).map((d) => ({ ...d, _id: `${d._id}-other` })));
  rawRows = await raw.collection(def as CollectionDef);
});
afterAll(() => store.close());

const FILTERS: Filter[] = [
  {},
  { grp: 'small' },
  { grp: 'g1' },
  { tags: 'rare' },
  { b: 'y' },
  { a: { $gte: 2 } },
  { a: { $exists: false } },
  { $or: [{ a: 1 }, { tags: 'blue' }] },
  { grp: 'g2', 'n.x': { $in: [1, 3] } },
  { b: 'nothing' },
  { $and: [{ grp: { $ne: 'small' } }, { a: 4 }, { 'n.x': 3 }, { b: 'z' }] },
];
const SORTS: SortSpec[] = [{ _id: 1 }, { _id: -1 }, { a: 1 }, { a: -1 }, { a: 1, _id: -1 }, { 'n.x': 1 }, { d: -1, a: 1 }, { b: 1, 'n.x': -1 }];

describe('sorted reads with a limit on the embedded store', () => {
  it('return exactly what a full stable sort would, ties and skips included', async () => {
    let compared = 0;
    for (const filter of FILTERS) {
      for (const sort of SORTS) {
        const all = await rows.find(filter, { sort });
        for (const [limit, skip] of [[1, 0], [7, 0], [51, 0], [25, 3], [COUNT + 10, 0], [10, 2990]] as const) {
          const got = await rows.find(filter, { sort, limit, skip });
          expect(got.map((r) => r._id), `${JSON.stringify(filter)} ${JSON.stringify(sort)} ${limit}/${skip}`).toEqual(all.slice(skip, skip + limit).map((r) => r._id));
          compared += 1;
        }
      }
    }
    expect(compared).toBe(FILTERS.length * SORTS.length * 6);
  });

  it('start an _id walk at the bound the filter sets, in both directions', async () => {
    const all = await rows.find({}, { sort: { _id: 1 } });
    const mid = all[1500]!._id;
    for (const [filter, sort] of [
      [{ _id: { $gt: mid } }, { _id: 1 }],
      [{ _id: { $gte: mid } }, { _id: 1 }],
      [{ _id: { $lt: mid } }, { _id: -1 }],
      [{ $and: [{ b: { $in: ['x', 'y'] } }, { _id: { $lte: mid } }] }, { _id: -1 }],
      [{ $and: [{ _id: { $gt: all[10]!._id } }, { _id: { $gt: mid } }] }, { _id: 1 }],
    ] as [Filter, SortSpec][]) {
      const full = await rows.find(filter, { sort });
      expect(full.length).toBeGreaterThan(100);
      expect((await rows.find(filter, { sort, limit: 30 })).map((r) => r._id)).toEqual(full.slice(0, 30).map((r) => r._id));
    }
  });

  it('hand back copies, with projections applied', async () => {
    const [first] = await rows.find({ grp: 'g1' }, { sort: { _id: 1 }, limit: 1 });
    first!.tags.push('mutated');
    first!.n.x = 99;
    const [again] = await rows.find({ grp: 'g1' }, { sort: { _id: 1 }, limit: 1 });
    expect(again!.tags).not.toContain('mutated');
    expect(again!.n.x).not.toBe(99);

    const picked = await rows.find({ grp: 'g1' }, { sort: { a: -1 }, limit: 3, projection: { b: 1, 'n.x': 1 } });
    expect(picked).toHaveLength(3);
    for (const p of picked) expect(Object.keys(p).sort()).toEqual(['_id', 'b', 'n']);
    const omitted = await rows.find({ grp: 'g1' }, { sort: { a: -1 }, limit: 3, projection: { tags: 0 } });
    for (const p of omitted) expect(p).not.toHaveProperty('tags');
  });

  it('page through every document once with cursors, by _id and by a tied field', async () => {
    for (const [sortBy, direction] of [['_id', 1], ['_id', -1], ['n.x', 1], ['d', -1]] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof rows.page>> = await rows.page({}, { sortBy, direction, limit: 400, cursor });
        seen.push(...page.items.map((r) => r._id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen, `${sortBy} ${direction}`).toHaveLength(COUNT);
      expect(new Set(seen).size).toBe(COUNT);
    }
  });

  it('reads the raw adapter the same way, including findOne with a sort', async () => {
    const top = await rawRows.findOne({ tenantId: 't1', grp: 'g2' }, { sort: { 'n.x': -1, d: 1 } });
    const all = await rawRows.find({ tenantId: 't1', grp: 'g2' }, { sort: { 'n.x': -1, d: 1 } });
    expect(top?._id).toBe(all[0]!._id);
  });
});
