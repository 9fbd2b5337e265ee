import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNedbStore, createStore, type BaseDoc, type CollectionDef, type Filter, type SortSpec } from '../../core/store/index.ts';
import { sortedCandidates } from '../../core/store/nedb-top-k.ts';

// Sorted reads by `_id` with an equality on an indexed field walk that index's documents in `_id`
// order (kept between reads) and stop once the page is full. The reference is the same store
// reading without a limit (nedb's own cursor: every match, sorted), sliced; writes between reads
// must show at once.

interface Row extends BaseDoc {
  grp: string;
  owners: string[];
  a?: number | null;
  n: number;
}

const def: CollectionDef<Row> = {
  name: 'walked',
  scope: 'tenant',
  indexes: [{ fields: { grp: 1 } }, { fields: { owners: 1 } }],
};

let seed = 3;
const rand = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const OWNERS = ['o1', 'o2', 'o3', 'o4', 'rare'];
let serial = 0;
// Random ids, so that an index's documents for a value are not held in `_id` order.
const newRow = (grp: string): Omit<Row, 'version' | 'createdAt' | 'updatedAt' | 'tenantId'> => {
  serial += 1;
  return {
    _id: `w${String(Math.floor(rand() * 1e9)).padStart(9, '0')}-${serial}`,
    grp,
    owners: rand() < 0.02 ? ['rare'] : [pick(OWNERS.slice(0, 4)), ...(rand() < 0.3 ? [pick(OWNERS.slice(0, 4))] : [])],
    ...(serial % 9 === 0 ? {} : { a: serial % 13 === 0 ? null : Math.floor(rand() * 4) }),
    n: Math.floor(rand() * 10),
  };
};

const store = createStore(createNedbStore({ dir: '', inMemory: true }));
const rows = store.forTenant('t1').collection(def);
const others = store.forTenant('t2').collection(def);

beforeAll(async () => {
  await rows.insertMany([...Array.from({ length: 1200 }, () => newRow(pick(['big', 'big', 'mid']))), ...Array.from({ length: 30 }, () => newRow('small'))]);
  // Another tenant's documents share the index entries and must never show.
  await others.insertMany(Array.from({ length: 300 }, () => newRow(pick(['big', 'small']))));
});
afterAll(() => store.close());

const FILTERS: Filter[] = [
  { grp: 'big' },
  { grp: 'small' },
  { owners: 'o2' },
  { owners: 'rare' },
  { grp: 'mid', n: { $in: [1, 2, 3] } },
  { grp: 'big', owners: 'rare' },
  { owners: 'o1', grp: 'small' },
  { grp: 'big', $or: [{ a: null }, { a: { $gte: 3 } }] },
  { grp: 'none' },
];

/** Reads every page shape twice (the second read walks the kept order) and compares with the reference. */
async function expectPagesMatchReference(label: string): Promise<number> {
  let compared = 0;
  for (const filter of FILTERS) {
    for (const direction of [1, -1] as const) {
      const sort: SortSpec = { _id: direction };
      const all = await rows.find(filter, { sort });
      const ids = all.map((r) => r._id);
      const mid = ids[Math.floor(ids.length / 2)];
      const bounded: Filter[] = mid === undefined ? [] : [{ ...filter, _id: direction === 1 ? { $gt: mid } : { $lt: mid } }, { ...filter, _id: direction === 1 ? { $gte: mid } : { $lte: mid } }];
      for (let round = 0; round < 2; round += 1) {
        for (const [limit, skip] of [[1, 0], [26, 0], [10, 4], [ids.length + 5, 0]] as const) {
          const got = await rows.find(filter, { sort, limit, skip });
          expect(got.map((r) => r._id), `${label} ${JSON.stringify(filter)} ${direction} ${limit}/${skip}`).toEqual(ids.slice(skip, skip + limit));
          compared += 1;
        }
        for (const b of bounded) {
          const expected = (await rows.find(b, { sort })).map((r) => r._id);
          expect((await rows.find(b, { sort, limit: 26 })).map((r) => r._id), `${label} ${JSON.stringify(b)}`).toEqual(expected.slice(0, 26));
          compared += 1;
        }
      }
    }
  }
  return compared;
}

describe('sorted walks over an index value on the embedded store', () => {
  it('return what a full sort would, in both directions, from cursor bounds, with skips', async () => {
    expect(await expectPagesMatchReference('initial')).toBeGreaterThan(FILTERS.length * 2 * 2 * 4);
  });

  it('see inserts, updates and removals made between reads', async () => {
    const [someBig] = await rows.find({ grp: 'big' }, { sort: { _id: 1 }, limit: 1 });
    const moved = await rows.find({ owners: 'o2' }, { sort: { _id: -1 }, limit: 3 });
    await rows.insertMany([newRow('big'), newRow('small'), { ...newRow('big'), owners: ['o2'] }]);
    await rows.updateOne({ _id: someBig!._id }, { $set: { n: 99 } });
    await rows.updateMany({ _id: { $in: moved.map((r) => r._id) } }, { $set: { grp: 'small', owners: ['rare'] } });
    await rows.deleteOne({ grp: 'small', owners: 'o1' });
    expect(await expectPagesMatchReference('after writes')).toBeGreaterThan(0);
    const [updated] = await rows.find({ grp: 'big', n: 99 }, { sort: { _id: 1 }, limit: 5 });
    expect(updated?._id).toBe(someBig!._id);
    const movedNow = await rows.find({ owners: 'rare', grp: 'small' }, { sort: { _id: 1 }, limit: 50 });
    expect(movedNow.map((r) => r._id)).toEqual(expect.arrayContaining(moved.map((r) => r._id)));
  });

  it('see an update that leaves the set of documents for a value the same size', async () => {
    const sort: SortSpec = { _id: 1 };
    // Two reads keep the `_id` order of grp 'mid'; the update replaces one of its documents.
    await rows.find({ grp: 'mid' }, { sort, limit: 5 });
    const [target] = await rows.find({ grp: 'mid' }, { sort, limit: 1, skip: 40 });
    await rows.updateOne({ _id: target!._id }, { $set: { n: 1234 } });
    expect((await rows.find({ grp: 'mid', n: 1234 }, { sort, limit: 5 })).map((r) => r._id)).toEqual([target!._id]);
    expect((await rows.find({ grp: 'mid', n: 1234 }, { sort, limit: 5 })).map((r) => r._id)).toEqual([target!._id]);
  });

  it('page an owner through every document once while documents arrive', async () => {
    const expected = new Set((await rows.find({ owners: 'o3' })).map((r) => r._id));
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 1000; page += 1) {
      const got = await rows.find({ owners: 'o3', ...(after ? { _id: { $gt: after } } : {}) }, { sort: { _id: 1 }, limit: 17 });
      seen.push(...got.map((r) => r._id));
      if (got.length < 17) break;
      after = got[got.length - 1]!._id;
      if (page === 2) {
        // One lands behind the cursor (not shown), one ahead of it (shown).
        await rows.insertMany([{ ...newRow('mid'), _id: 'w000000000-behind', owners: ['o3'] }, { ...newRow('mid'), _id: 'wzzzzzzzzz-ahead', owners: ['o3'] }]);
        expected.add('wzzzzzzzzz-ahead');
      }
    }
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(expected);
  });

  it('page by a field holding nulls and missing values, with the most selective index', async () => {
    for (const filter of [{ grp: 'big', owners: 'rare' }, { owners: 'o4', grp: 'small' }, { grp: 'big' }] as Filter[]) {
      for (const direction of [1, -1] as const) {
        // Pages put documents without a value (null or missing) in their own run, by `_id`: first ascending, last descending.
        const absent = await rows.find({ ...filter, $or: [{ a: null }, { a: { $exists: false } }] }, { sort: { _id: direction } });
        const present = await rows.find({ ...filter, a: { $exists: true, $ne: null } }, { sort: { a: direction, _id: direction } });
        const all = direction === 1 ? [...absent, ...present] : [...present, ...absent];
        expect(absent.length * present.length, JSON.stringify(filter)).toBeGreaterThan(0);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<typeof rows.page>> = await rows.page(filter, { sortBy: 'a', direction, limit: 7, cursor });
          seen.push(...page.items.map((r) => r._id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen, `${JSON.stringify(filter)} ${direction}`).toEqual(all.map((r) => r._id));
      }
    }
  });
});

describe('the kept _id order of an index value', () => {
  const docs = (ids: string[]): Record<string, unknown>[] => ids.map((_id) => ({ _id }));
  const ids = (rowsIn: readonly Record<string, unknown>[] | undefined): unknown[] | undefined => rowsIn?.map((r) => r._id);

  it('is built once the set has been seen unchanged, and dropped when it changes', () => {
    const live = docs(Array.from({ length: 40 }, (_, i) => `k${String((i * 7) % 40).padStart(2, '0')}`));
    const sorted = [...live].map((r) => r._id as string).sort();
    expect(sortedCandidates(live)).toBeUndefined();
    expect(ids(sortedCandidates(live))).toEqual(sorted);
    expect(sortedCandidates(live)).toBe(sortedCandidates(live));
    // nedb replaces a document on update: same length, another object.
    live[5] = { _id: live[5]!._id };
    expect(sortedCandidates(live)).toBeUndefined();
    expect(ids(sortedCandidates(live))).toEqual(sorted);
    live.push({ _id: 'a-first' });
    expect(sortedCandidates(live)).toBeUndefined();
    expect(ids(sortedCandidates(live))).toEqual(['a-first', ...sorted]);
    live.splice(0, 1);
    expect(sortedCandidates(live)).toBeUndefined();
    expect(ids(sortedCandidates(live))?.length).toBe(40);
  });

  it('is sorted on the spot for small sets, without changing the index array', () => {
    const live = docs(['c', 'a', 'b']);
    expect(ids(sortedCandidates(live))).toEqual(['a', 'b', 'c']);
    expect(ids(live)).toEqual(['c', 'a', 'b']);
  });
});
