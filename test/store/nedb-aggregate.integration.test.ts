import { Aggregator } from 'mingo';
import mingoContext from 'mingo/init/context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNedbStore, createStore, type BaseDoc, type CollectionDef, type Store } from '../../core/store/index.ts';

// The embedded store runs what nedb answers exactly like MongoDB of the leading $match stages in
// nedb, copies only the fields the pipeline reads, and runs $facet sub-pipelines that only read
// without cloning their input. None of that may change a result: the reference is mingo alone,
// over whole copies of the same documents, with mingo's own $facet.

interface Row extends BaseDoc {
  g: string;
  x?: number | null;
  tags?: string[];
  nested?: { a: number; b?: string };
  at?: Date;
}

const def: CollectionDef<Row> = { name: 'agg_rows', scope: 'tenant', indexes: [{ fields: { g: 1 } }] };
// Node resolves mingo's CommonJS build, other loaders its ESM build; the two expose the initialiser differently.
const initContext = (typeof mingoContext === 'function' ? mingoContext : mingoContext.default) as typeof mingoContext.default;

let store: Store;
let all: Row[];

beforeAll(async () => {
  store = createStore(createNedbStore({ dir: '', inMemory: true }));
  const rows = store.forTenant('t1').collection(def);
  await rows.insertMany(
    Array.from({ length: 60 }, (_, i) => ({
      g: `g${i % 3}`,
      ...(i % 6 === 0 ? {} : i % 6 === 1 ? { x: null } : { x: i % 7 }),
      ...(i % 4 === 0 ? { tags: [] } : i % 4 === 1 ? {} : { tags: i % 2 ? ['a', 'b'] : ['b'] }),
      ...(i % 5 === 0 ? {} : { nested: { a: i % 3, ...(i % 2 ? { b: `s${i % 4}` } : {}) } }),
      at: new Date(Date.UTC(2026, 0, 1 + (i % 10))),
    })),
  );
  // Another tenant's rows must never take part.
  await store.forTenant('t2').collection(def).insertMany([{ g: 'g0', x: 1, tags: ['a'] }]);
  all = await rows.find({}, { sort: { _id: 1 } });
});

afterAll(async () => {
  await store.close();
});

const reference = (pipeline: Record<string, unknown>[]) =>
  new Aggregator(pipeline, { context: initContext() }).run(structuredClone(all)) as Record<string, unknown>[];

const cases: Array<[string, Record<string, unknown>[]]> = [
  ['null matches null and missing', [{ $match: { x: null } }, { $group: { _id: '$g', n: { $sum: 1 } } }, { $sort: { _id: 1 } }]],
  ['$ne null leaves out missing', [{ $match: { x: { $ne: null } } }, { $count: 'n' }]],
  ['$ne over arrays', [{ $match: { tags: { $ne: 'a' } } }, { $count: 'n' }]],
  ['$nin over arrays', [{ $match: { tags: { $nin: ['a'] } } }, { $count: 'n' }]],
  ['$exists over empty arrays', [{ $match: { tags: { $exists: true } } }, { $count: 'n' }]],
  ['pushed-down conditions over several stages', [{ $match: { g: 'g1' } }, { $match: { x: { $gte: 2 }, at: { $lt: new Date(Date.UTC(2026, 0, 6)) } } }, { $project: { _id: 1, x: 1 } }, { $sort: { _id: 1 } }]],
  ['$or and $in pushed down', [{ $match: { $or: [{ g: 'g0' }, { x: { $in: [3, 4] } }] } }, { $group: { _id: '$x', n: { $sum: 1 } } }, { $sort: { _id: 1 } }]],
  ['dotted paths and nested projections', [{ $match: { 'nested.a': 1 } }, { $project: { _id: 0, nested: { b: 1 }, g: 1 } }, { $sort: { g: 1 } }]],
  ['whole documents out', [{ $match: { g: 'g2', x: 4 } }, { $sort: { _id: 1 } }]],
  ['$$ROOT reads everything', [{ $match: { g: 'g0' } }, { $replaceRoot: { newRoot: { doc: '$$ROOT', x: '$x' } } }, { $sort: { 'doc._id': 1 } }]],
  [
    'facet branches that read, and one that changes documents',
    [
      {
        $facet: {
          byGroup: [{ $match: { x: { $gt: 2 } } }, { $group: { _id: '$g', n: { $sum: 1 }, xs: { $push: '$nested' } } }],
          changed: [{ $addFields: { 'nested.a': 99, g: 'changed' } }, { $group: { _id: '$g', a: { $sum: '$nested.a' } } }],
          unwound: [{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }],
          after: [{ $project: { _id: 0, g: 1, a: '$nested.a' } }, { $group: { _id: '$g', a: { $sum: '$a' } } }],
        },
      },
    ],
  ],
];

describe('aggregation on the embedded store', () => {
  it.each(cases)('%s: same result as mingo over whole documents', async (_name, pipeline) => {
    const got = await store.forTenant('t1').collection(def).aggregate(pipeline);
    const want = reference(pipeline);
    const sorted = (rows: Record<string, unknown>[]) => (pipeline.some((s) => '$sort' in s) ? rows : [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
    expect(sorted(got)).toEqual(sorted(want));
    expect(got.length).toBeGreaterThan(0);
  });

  it('never hands out the stored documents themselves', async () => {
    const rows = store.forTenant('t1').collection(def);
    const [first] = await rows.aggregate<{ nested?: { a: number } }>([{ $match: { 'nested.a': 2 } }, { $project: { _id: 0, nested: 1 } }]);
    first!.nested!.a = -1;
    expect(await rows.count({ 'nested.a': -1 })).toBe(0);
  });
});
