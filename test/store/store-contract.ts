import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DuplicateKeyError,
  InvalidCursorError,
  StoreMisuseError,
  VersionConflictError,
  type BaseDoc,
  type CollectionDef,
  type Store,
} from '../../core/store/index.ts';

interface Thing extends BaseDoc {
  name: string;
  n?: number;
  tags?: string[];
  due?: Date;
  nested?: { a?: number; b?: string };
  outbox?: { id: string; type: string }[];
}
interface Counter extends BaseDoc {
  key: string;
  seq: number;
}

/**
 * The behaviour every store adapter must share. `open` returns a fresh, empty store each time it
 * is called with a new name.
 */
export function storeContract(label: string, open: (name: string) => Promise<Store>): void {
  describe(`store contract: ${label}`, () => {
    let store: Store;
    const run = Math.random().toString(36).slice(2, 8);
    const things: CollectionDef<Thing> = {
      name: `things_${run}`,
      scope: 'tenant',
      indexes: [{ fields: { tenantId: 1, name: 1 }, unique: true }],
    };
    // Ids are global; a per-tenant natural key needs a unique index that includes the tenant.
    const counters: CollectionDef<Counter> = {
      name: `counters_${run}`,
      scope: 'tenant',
      indexes: [{ fields: { tenantId: 1, key: 1 }, unique: true }],
    };
    const globals: CollectionDef<Thing> = { name: `globals_${run}`, scope: 'platform' };

    beforeAll(async () => {
      store = await open(run);
    });
    afterAll(async () => {
      await store.close();
    });

    it('fills in id, version, timestamps and tenant on insert', async () => {
      const t = store.forTenant('t1').collection(things);
      const doc = await t.insert({ name: 'alpha', n: 1 });
      expect(doc._id).toMatch(/^[0-9a-z]{26}$/);
      expect(doc.version).toBe(1);
      expect(doc.tenantId).toBe('t1');
      expect(doc.createdAt).toBeInstanceOf(Date);
      const read = await t.findById(doc._id);
      expect(read?.name).toBe('alpha');
      expect(read?.createdAt).toBeInstanceOf(Date);
    });

    it('ignores caller attempts to set bookkeeping fields on insert', async () => {
      const t = store.forTenant('t1').collection(things);
      const doc = await t.insert({ name: 'sneaky', tenantId: 't2', version: 99 } as never);
      expect(doc.tenantId).toBe('t1');
      expect(doc.version).toBe(1);
      expect(await store.forTenant('t2').collection(things).findById(doc._id)).toBeNull();
    });

    it('confines every operation to one tenant', async () => {
      const a = store.forTenant('ta').collection(things);
      const b = store.forTenant('tb').collection(things);
      const da = await a.insert({ name: 'shared-name', n: 5 });
      await b.insert({ name: 'shared-name', n: 7 });
      expect(await b.findById(da._id)).toBeNull();
      expect(await b.findOne({ _id: da._id })).toBeNull();
      expect(await b.find({ n: 5 })).toEqual([]);
      expect(await b.count({})).toBe(1);
      expect(await b.updateOne({ _id: da._id }, { $set: { n: 0 } })).toBeNull();
      expect(await b.updateMany({}, { $set: { n: 1 } })).toBe(1);
      expect(await b.deleteOne({ _id: da._id })).toBe(false);
      expect((await a.findById(da._id))?.n).toBe(5);
      const agg = await b.aggregate<{ total: number }>([{ $group: { _id: null, total: { $sum: '$n' } } }]);
      expect(agg[0]?.total).toBe(1);
      await expect(b.aggregate([{ $lookup: { from: things.name, localField: 'x', foreignField: 'y', as: 'z' } }])).rejects.toBeInstanceOf(
        StoreMisuseError,
      );
    });

    it('refuses filters and updates that touch the tenant or other owned fields', async () => {
      const t = store.forTenant('t1').collection(things);
      await expect(t.find({ tenantId: 't2' })).rejects.toBeInstanceOf(StoreMisuseError);
      const doc = await t.insert({ name: 'owned' });
      await expect(t.updateOne({ _id: doc._id }, { $set: { tenantId: 't2' } })).rejects.toBeInstanceOf(StoreMisuseError);
      await expect(t.updateOne({ _id: doc._id }, { $inc: { version: 5 } })).rejects.toBeInstanceOf(StoreMisuseError);
      expect(() => store.platform(things)).toThrow(StoreMisuseError);
      expect(() => store.forTenant('t1').collection(globals)).toThrow(StoreMisuseError);
      expect(() => store.forTenant('')).toThrow(StoreMisuseError);
    });

    it('enforces unique indexes per tenant', async () => {
      const t = store.forTenant('tu').collection(things);
      await t.insert({ name: 'unique-1' });
      await expect(t.insert({ name: 'unique-1' })).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(store.forTenant('tu2').collection(things).insert({ name: 'unique-1' })).resolves.toBeTruthy();
    });

    it('applies optimistic concurrency through the version', async () => {
      const t = store.forTenant('tv').collection(things);
      const doc = await t.insert({ name: 'versioned', n: 1 });
      const v2 = await t.updateOne({ _id: doc._id }, { $set: { n: 2 } }, { expectedVersion: 1 });
      expect(v2?.version).toBe(2);
      expect(v2?.n).toBe(2);
      expect(v2!.updatedAt.getTime()).toBeGreaterThanOrEqual(doc.updatedAt.getTime());
      const stale = t.updateOne({ _id: doc._id }, { $set: { n: 3 } }, { expectedVersion: 1 });
      await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
      await expect(stale).rejects.toMatchObject({ expected: 1, actual: 2 });
      expect(await t.updateOne({ _id: 'missing' }, { $set: { n: 3 } }, { expectedVersion: 1 })).toBeNull();
    });

    it('lets exactly one of many concurrent writers with the same version win', async () => {
      const t = store.forTenant('tc').collection(things);
      const doc = await t.insert({ name: 'contended', n: 0 });
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => t.updateOne({ _id: doc._id }, { $set: { n: i } }, { expectedVersion: 1 })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof VersionConflictError)).toHaveLength(19);
      expect((await t.findById(doc._id))?.version).toBe(2);
    });

    it('upserts counters atomically under concurrency', async () => {
      const c = store.forTenant('tn').collection(counters);
      const got = await Promise.all(
        Array.from({ length: 50 }, () => c.findOneAndUpdate({ key: 'fy-2026' }, { $inc: { seq: 1 } }, { upsert: true })),
      );
      const seqs = got.map((d) => d!.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect((await c.findOne({ key: 'fy-2026' }))?.seq).toBe(50);
      expect(await c.count({})).toBe(1);
      const other = await store
        .forTenant('tn2')
        .collection(counters)
        .findOneAndUpdate({ key: 'fy-2026' }, { $inc: { seq: 1 } }, { upsert: true });
      expect(other?.seq).toBe(1);
    });

    it('returns the document before or after an update, and $setOnInsert only on insert', async () => {
      const t = store.forTenant('tf').collection(things);
      const doc = await t.insert({ name: 'fau', n: 1 });
      const before = await t.findOneAndUpdate({ _id: doc._id }, { $inc: { n: 1 } }, { returnDocument: 'before' });
      expect(before?.n).toBe(1);
      const after = await t.findOneAndUpdate({ _id: doc._id }, { $inc: { n: 1 } });
      expect(after?.n).toBe(3);
      const ins = await t.findOneAndUpdate({ name: 'fresh' }, { $set: { n: 1 }, $setOnInsert: { tags: ['new'] } }, { upsert: true });
      expect(ins).toMatchObject({ name: 'fresh', n: 1, tags: ['new'], version: 1, tenantId: 'tf' });
      const again = await t.findOneAndUpdate({ name: 'fresh' }, { $set: { n: 2 }, $setOnInsert: { tags: ['other'] } }, { upsert: true });
      expect(again).toMatchObject({ n: 2, tags: ['new'], version: 2 });
    });

    it('supports the shared query and update operators', async () => {
      const t = store.forTenant('to').collection(things);
      await t.insertMany([
        { name: 'q1', n: 1, tags: ['a', 'b'], nested: { a: 1, b: 'x' }, due: new Date('2026-01-01T00:00:00Z') },
        { name: 'q2', n: 2, tags: ['b'], nested: { a: 2 }, due: new Date('2026-02-01T00:00:00Z') },
        { name: 'q3', n: 3, tags: [], due: new Date('2026-03-01T00:00:00Z') },
      ]);
      expect((await t.find({ n: { $in: [1, 3] } }, { sort: { n: 1 } })).map((d) => d.name)).toEqual(['q1', 'q3']);
      expect((await t.find({ 'nested.a': { $gte: 2 } })).map((d) => d.name)).toEqual(['q2']);
      expect((await t.find({ nested: { $exists: false } })).map((d) => d.name)).toEqual(['q3']);
      expect((await t.find({ tags: 'b' }, { sort: { name: -1 } })).map((d) => d.name)).toEqual(['q2', 'q1']);
      expect((await t.find({ $or: [{ n: 1 }, { name: 'q3' }] }, { sort: { n: -1 } })).map((d) => d.n)).toEqual([3, 1]);
      expect((await t.find({ due: { $lt: new Date('2026-02-15T00:00:00Z') } })).length).toBe(2);
      expect((await t.find({ name: { $regex: /^q[12]$/ } })).length).toBe(2);
      expect((await t.find({}, { sort: { n: 1 }, skip: 1, limit: 1 })).map((d) => d.n)).toEqual([2]);
      const projected = await t.findOne({ name: 'q1' }, { projection: { name: 1 } });
      expect(projected).toEqual({ _id: expect.any(String), name: 'q1' });

      const q1 = (await t.findOne({ name: 'q1' }))!;
      const u = await t.updateOne(
        { _id: q1._id },
        { $push: { tags: { $each: ['c', 'd'] } }, $unset: { nested: true }, $inc: { n: 10 }, $max: { due: new Date('2027-01-01T00:00:00Z') } },
      );
      expect(u).toMatchObject({ tags: ['a', 'b', 'c', 'd'], n: 11 });
      expect(u?.nested).toBeUndefined();
      expect(u?.due?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
      const p = await t.updateOne({ _id: q1._id }, { $pull: { tags: { $in: ['a', 'c'] } }, $addToSet: { tags: 'b' } });
      expect(p?.tags).toEqual(['b', 'd']);
      expect(await t.deleteMany({ n: { $lt: 3 } })).toBe(1);
      expect(await t.count({})).toBe(2);
    });

    it("keeps what it stored apart from the caller's objects, on insert, update and upsert alike", async () => {
      const t = store.forTenant('tc').collection(things);
      const nested = { a: 1, b: 'x' };
      const tags = ['a'];
      const doc = await t.insert({ name: 'kept', n: 1, nested, tags });
      nested.a = 99;
      tags.push('leaked');
      // Values given to $set, $push and an upsert's fields are the caller's to change afterwards.
      const setTo = { a: 2, b: 'y' };
      const pushed = { note: 'first' };
      await t.updateOne({ _id: doc._id }, { $set: { nested: setTo }, $push: { tags: pushed as never } });
      setTo.a = 99;
      pushed.note = 'changed';
      const upsertTags = ['u'];
      const up = await t.findOneAndUpdate({ name: 'kept-upsert' }, { $set: { tags: upsertTags } }, { upsert: true });
      upsertTags.push('leaked');
      // Objects read are copies too.
      const read = (await t.findById(doc._id))!;
      read.nested!.a = 77;
      (read.tags as unknown[]).push('leaked');
      expect(await t.findById(doc._id)).toMatchObject({ nested: { a: 2, b: 'y' }, tags: ['a', { note: 'first' }] });
      expect((await t.findById(up!._id))?.tags).toEqual(['u']);
    });

    it('writes a change and its outbox events in one update, and removes relayed events by id', async () => {
      const t = store.forTenant('tx').collection(things);
      const doc = await t.insert({ name: 'agg', n: 0, outbox: [{ id: 'e1', type: 'created' }] });
      const changed = await t.updateOne(
        { _id: doc._id },
        { $set: { n: 1 }, $push: { outbox: { id: 'e2', type: 'updated' } } },
        { expectedVersion: 1 },
      );
      expect(changed?.outbox?.map((e) => e.id)).toEqual(['e1', 'e2']);
      const pending = await t.find({ 'outbox.0': { $exists: true } });
      expect(pending.map((d) => d._id)).toContain(doc._id);
      await t.updateOne({ _id: doc._id }, { $pull: { outbox: { id: 'e1' } } });
      expect((await t.findById(doc._id))?.outbox?.map((e) => e.id)).toEqual(['e2']);
    });

    it('pages with a cursor without gaps or repeats, by id and by another field', async () => {
      const t = store.forTenant('tp').collection(things);
      await t.insertMany(
        Array.from({ length: 23 }, (_, i) => ({ name: `p${i}`, n: i % 5, due: new Date(Date.UTC(2026, 0, 1 + (i % 7))) })),
      );
      for (const sortBy of ['_id', 'due', 'n']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: { items: Thing[]; nextCursor: string | null } = await t.page({}, { sortBy, limit: 5, cursor });
          seen.push(...page.items.map((d) => d._id));
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor && pages < 20);
        expect(pages).toBe(5);
        expect(new Set(seen).size).toBe(23);
      }
      const desc = await t.page({ n: { $gte: 3 } }, { sortBy: 'n', direction: -1, limit: 100 });
      expect(desc.items.map((d) => d.n)).toEqual([4, 4, 4, 4, 3, 3, 3, 3]);
      expect(desc.nextCursor).toBeNull();
      await expect(t.page({}, { cursor: 'garbage' })).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('pages over a field holding null and missing values, every document exactly once, both ways', async () => {
      const t = store.forTenant('tnull').collection(things);
      // 21 with a value (ties included), 7 with null and 7 without the field, interleaved.
      await t.insertMany(
        Array.from({ length: 35 }, (_, i) => ({ name: `q${i}`, ...(i % 5 === 1 ? { n: null as unknown as number } : i % 5 === 3 ? {} : { n: i % 4 }) })),
      );
      const all = await t.find({});
      expect(all.filter((d) => typeof d.n === 'number')).toHaveLength(21);
      for (const direction of [1, -1] as const) {
        for (const limit of [1, 4, 7, 50]) {
          const seen: Thing[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const page: { items: Thing[]; nextCursor: string | null } = await t.page({}, { sortBy: 'n', direction, limit, cursor });
            seen.push(...page.items);
            cursor = page.nextCursor;
            pages += 1;
          } while (cursor && pages < 100);
          const ids = seen.map((d) => d._id);
          expect(new Set(ids).size, `direction ${direction}, limit ${limit}`).toBe(35);
          expect(ids.length).toBe(35);
          // Null and missing values come first ascending (last descending), ordered by id among themselves.
          const absent = seen.filter((d) => typeof d.n !== 'number');
          const present = seen.filter((d) => typeof d.n === 'number');
          const absentIds = absent.map((d) => d._id);
          expect(absentIds).toEqual([...absentIds].sort((a, b) => direction * (a < b ? -1 : a > b ? 1 : 0)));
          expect(direction === 1 ? seen.slice(0, absent.length) : seen.slice(present.length)).toEqual(absent);
          const values = present.map((d) => d.n!);
          expect(values).toEqual([...values].sort((a, b) => direction * (a - b)));
        }
      }
      // A filter still applies in both runs.
      const filtered = await t.page({ name: { $in: ['q1', 'q3', 'q0', 'q2'] } }, { sortBy: 'n', limit: 2 });
      const rest = await t.page({ name: { $in: ['q1', 'q3', 'q0', 'q2'] } }, { sortBy: 'n', limit: 2, cursor: filtered.nextCursor });
      expect([...filtered.items, ...rest.items].map((d) => d.name).sort()).toEqual(['q0', 'q1', 'q2', 'q3']);
      expect(rest.nextCursor).toBeNull();
    });

    it('keeps platform collections separate from tenant ones', async () => {
      const g = store.platform(globals);
      const doc = await g.insert({ name: 'platform-thing' });
      expect(doc.tenantId).toBeUndefined();
      expect(await g.count({ name: 'platform-thing' })).toBe(1);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
