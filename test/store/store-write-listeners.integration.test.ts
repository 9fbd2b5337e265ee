import { describe, expect, it } from 'vitest';
import { createNedbStore, createStore, VersionConflictError, type CollectionDef, type BaseDoc } from '../../core/store/index.ts';

interface Thing extends BaseDoc {
  n: number;
}
const things: CollectionDef<Thing> = { name: 'things', scope: 'tenant' };
const platformThings: CollectionDef<Thing> = { name: 'platform_things', scope: 'platform', indexes: [{ fields: { n: 1 }, unique: true }] };

describe('store write listeners', () => {
  it('report every write to a collection, with its ids and tenant, before the write settles', async () => {
    const store = createStore(createNedbStore({ dir: '', inMemory: true }));
    const seen: { ids: readonly string[] | null; tenantId?: string }[] = [];
    const off = store.onWrite!('things', (change) => seen.push(change));
    const col = store.forTenant('tn_a').collection(things);

    const a = await col.insert({ _id: 'a', n: 1 });
    expect(seen.at(-1)).toEqual({ ids: ['a'], tenantId: 'tn_a' });
    await col.insertMany([{ _id: 'b', n: 2 }, { _id: 'c', n: 3 }]);
    expect(seen.at(-1)).toEqual({ ids: ['b', 'c'], tenantId: 'tn_a' });
    await col.updateOne({ _id: 'a' }, { $set: { n: 5 } });
    expect(seen.at(-1)).toEqual({ ids: ['a'], tenantId: 'tn_a' });
    await col.findOneAndUpdate({ _id: 'z' }, { $set: { n: 9 } }, { upsert: true });
    expect(seen.at(-1)).toEqual({ ids: ['z'], tenantId: 'tn_a' });
    await col.updateMany({}, { $inc: { n: 1 } });
    expect(seen.at(-1)).toEqual({ ids: null, tenantId: 'tn_a' });
    await col.deleteOne({ _id: 'b' });
    expect(seen.at(-1)).toEqual({ ids: null, tenantId: 'tn_a' });
    const count = seen.length;
    // Reads and writes that change nothing report nothing new beyond the attempt.
    await col.findById('a');
    await col.find({});
    expect(seen.length).toBe(count);
    await expect(col.updateOne({ _id: 'a' }, { $set: { n: 0 } }, { expectedVersion: a.version })).rejects.toBeInstanceOf(VersionConflictError);

    // Other collections, and writes after the listener is removed, are not reported.
    await store.platform(platformThings).insert({ n: 1 });
    off();
    await col.insert({ n: 7 });
    expect(seen.length).toBe(count + 1);
    expect(seen.at(-1)?.ids).toEqual([]);
  });

  it('report a failed write as unknown ids, and a listener that throws does not fail the write', async () => {
    const store = createStore(createNedbStore({ dir: '', inMemory: true }));
    const seen: (readonly string[] | null)[] = [];
    store.onWrite!('platform_things', () => {
      throw new Error('listener broke');
    });
    store.onWrite!('platform_things', (c) => seen.push(c.ids));
    const col = store.platform(platformThings);
    await col.insert({ _id: 'p1', n: 1 });
    await expect(col.insert({ _id: 'p2', n: 1 })).rejects.toThrow();
    expect(seen).toEqual([['p1'], null]);
    expect(await col.count()).toBe(1);
  });
});
