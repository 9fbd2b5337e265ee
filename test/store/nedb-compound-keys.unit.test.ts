import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compoundKeyComparator } from '../../core/store/nedb-group-insert.ts';
import { createNedbStore, createStore, type BaseDoc, type CollectionDef } from '../../core/store/index.ts';

const { compareThings } = createRequire(import.meta.url)('@seald-io/nedb/lib/model.js') as { compareThings(a: unknown, b: unknown): number };

// Values of every kind nedb orders, in no particular order.
const values: unknown[] = [undefined, null, 0, -3.5, 7, '', 'a', 'B', 'éclair', true, false, new Date(0), new Date(1e12), [], [1, 'x'], [1], { z: 1 }, { a: [2] }];

describe('compound index keys', () => {
  it('order exactly as nedb orders them, field names sorted whatever the index order', () => {
    const compare = compoundKeyComparator(['tenantId', 'status']);
    const keys: Record<string, unknown>[] = [];
    for (const tenantId of values) for (const status of values) keys.push({ tenantId, status });
    let checked = 0;
    for (const a of keys) {
      for (const b of keys) {
        expect(Math.sign(compare(a, b)), JSON.stringify([a, b])).toBe(Math.sign(compareThings(a, b)));
        checked += 1;
      }
    }
    expect(checked).toBe(values.length ** 4);
    // 'status' sorts before 'tenantId': it is the most significant field.
    expect(compare({ tenantId: 'b', status: 'a' }, { tenantId: 'a', status: 'b' })).toBeLessThan(0);
  });

  it('leave anything that is not a key of the index to nedb', () => {
    const compare = compoundKeyComparator(['a', 'b']);
    const others: unknown[] = [{ a: 1 }, { a: 1, b: 2, c: 3 }, { b: 2, c: 3 }, Object.assign(Object.create(null), { a: 1, b: 2 }), [1, 2], 'a', 4, null, undefined, new Date(5)];
    for (const x of others) {
      for (const y of [...others, { a: 1, b: 2 }]) expect(Math.sign(compare(x, y))).toBe(Math.sign(compareThings(x, y)));
    }
  });

  it('keep a compound index of the embedded store answering after bulk inserts', async () => {
    const store = createStore(createNedbStore({ dir: '', inMemory: true }));
    const def: CollectionDef<BaseDoc & { status: string }> = { name: 'compound_keys', scope: 'tenant', indexes: [{ fields: { tenantId: 1, status: 1 } }] };
    const db = store.forTenant('tn_a');
    const statuses = ['planned', 'in_progress', 'done'];
    await db.collection(def).insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: `d${String(i).padStart(3, '0')}`, status: statuses[i % 3]! })));
    await store.forTenant('tn_b').collection(def).insertMany([{ _id: 'other', status: 'done' }]);
    await db.collection(def).insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: `e${i}`, status: 'done' })));
    expect(await db.collection(def).count({ status: 'done' })).toBe(100 + 30);
    expect(await db.collection(def).count({ status: 'planned' })).toBe(100);
    expect(await store.forTenant('tn_b').collection(def).count({ status: 'done' })).toBe(1);
    await store.close();
  });
});
