import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNedbStore, createStore, DuplicateKeyError, StoreMisuseError, type BaseDoc, type CollectionDef, type Store } from '../../core/store/index.ts';

interface Delivery extends BaseDoc {
  key: string;
  status: string;
  body: string;
  headers: { name: string; value: string }[];
  receivedAt: Date;
}
const deliveries: CollectionDef<Delivery> = {
  name: 'cold_deliveries',
  scope: 'tenant',
  coldFields: ['body', 'headers'],
  indexes: [{ fields: { key: 1 }, unique: true }],
};

const dirs: string[] = [];
const stores: Store[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hub-cold-fields-'));
  dirs.push(dir);
  return dir;
}
function open(dir: string, inMemory = false): Store {
  const store = createStore(createNedbStore({ dir, inMemory }));
  stores.push(store);
  return store;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close().catch(() => undefined);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const delivery = (i: number) => ({
  key: `k${i}`,
  status: i % 2 === 0 ? 'even' : 'odd',
  body: Buffer.from(`{"n":${i},"pad":"${'x'.repeat(200)}"}`).toString('base64'),
  headers: [
    { name: 'content-type', value: 'application/json' },
    { name: 'x-n', value: String(i) },
  ],
  receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
});

describe('cold fields on the embedded store', () => {
  it('keeps them out of the datafile and reads them back with the document, across a restart', async () => {
    const dir = tempDir();
    const store = open(dir);
    const c = store.forTenant('t1').collection(deliveries);
    const written = await Promise.all(Array.from({ length: 20 }, (_, i) => c.insert(delivery(i))));
    expect(written[3]!.body).toBe(delivery(3).body);

    const datafile = readFileSync(join(dir, 'cold_deliveries.db'), 'utf8');
    expect(datafile).toContain('"key":"k3"');
    expect(datafile).not.toContain(delivery(3).body);
    expect(datafile).not.toContain('content-type');
    expect(readFileSync(join(dir, 'cold_deliveries.db.cold'), 'utf8')).toContain(delivery(3).body);

    const got = await c.findById(written[3]!._id);
    expect(got).toMatchObject({ key: 'k3', body: delivery(3).body, headers: delivery(3).headers, receivedAt: delivery(3).receivedAt });
    const odd = await c.find({ status: 'odd' }, { sort: { key: 1 }, limit: 2 });
    expect(odd.map((d) => [d.key, d.body])).toEqual([
      ['k1', delivery(1).body],
      ['k11', delivery(11).body],
    ]);

    await store.close();
    const again = open(dir).forTenant('t1').collection(deliveries);
    expect(await again.count({})).toBe(20);
    expect(await again.findOne({ key: 'k19' })).toMatchObject({ body: delivery(19).body, headers: delivery(19).headers });
  });

  it('reads back only the cold fields a projection keeps', async () => {
    const c = open(tempDir()).forTenant('t1').collection(deliveries);
    const { _id } = await c.insert(delivery(1));
    const [noBody] = await c.find({ _id }, { projection: { body: 0 } });
    expect(noBody).toMatchObject({ key: 'k1', headers: delivery(1).headers });
    expect(noBody).not.toHaveProperty('body');
    const [idOnly] = await c.find({ _id }, { projection: { _id: 1 } });
    expect(idOnly?._id).toBe(_id);
    expect(idOnly).not.toHaveProperty('body');
    expect(idOnly).not.toHaveProperty('headers');
    expect(await c.find({ _id }, { projection: { body: 1 } })).toEqual([{ _id, body: delivery(1).body }]);
    expect(await c.find({ _id }, { projection: { _id: 0, body: 1, key: 1 } })).toEqual([{ key: 'k1', body: delivery(1).body }]);
    const [noId] = await c.find({ _id }, { projection: { _id: 0, headers: 0 } });
    expect(noId).toMatchObject({ key: 'k1', body: delivery(1).body });
    expect(noId).not.toHaveProperty('_id');
    expect(noId).not.toHaveProperty('headers');
  });

  it('returns them from findOneAndUpdate, not from updateOne, and refuses queries and updates that name them', async () => {
    const c = open(tempDir()).forTenant('t1').collection(deliveries);
    const { _id } = await c.insert(delivery(2));
    const updated = await c.updateOne({ _id }, { $set: { status: 'done' } });
    expect(updated).toMatchObject({ status: 'done' });
    // Not read back from disk for an update whose caller only checks it applied.
    expect(updated).not.toHaveProperty('body');
    expect(updated).not.toHaveProperty('headers');
    const claimed = await c.findOneAndUpdate({ _id }, { $set: { status: 'claimed' } });
    expect(claimed).toMatchObject({ status: 'claimed', body: delivery(2).body, headers: delivery(2).headers });
    expect(await c.findById(_id)).toMatchObject({ status: 'claimed', body: delivery(2).body });

    await expect(c.find({ body: delivery(2).body })).rejects.toBeInstanceOf(StoreMisuseError);
    await expect(c.count({ $or: [{ key: 'k2' }, { 'headers.name': 'x-n' }] })).rejects.toBeInstanceOf(StoreMisuseError);
    await expect(c.updateOne({ _id }, { $set: { body: 'e30=' } })).rejects.toBeInstanceOf(StoreMisuseError);
    await expect(c.find({}, { sort: { body: 1 } })).rejects.toBeInstanceOf(StoreMisuseError);
  });

  it('gives a refused duplicate no cold fields and leaves the stored one as it was', async () => {
    const dir = tempDir();
    const store = open(dir);
    const c = store.forTenant('t1').collection(deliveries);
    const first = await c.insert(delivery(5));
    await expect(c.insert({ ...delivery(5), body: 'b3RoZXI=' })).rejects.toBeInstanceOf(DuplicateKeyError);
    const results = await Promise.allSettled([c.insertMany([delivery(6), delivery(5)]), c.insert(delivery(7))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(await c.findById(first._id)).toMatchObject({ body: delivery(5).body });
    expect((await c.find({}, { sort: { key: 1 } })).map((d) => [d.key, d.body])).toEqual([
      ['k5', delivery(5).body],
      ['k7', delivery(7).body],
    ]);
    await store.close();
    expect((await open(dir).forTenant('t1').collection(deliveries).find({}, { sort: { key: 1 } })).map((d) => d.body)).toEqual([delivery(5).body, delivery(7).body]);
  });

  it('drops the lines of removed documents when the datastore compacts', async () => {
    const dir = tempDir();
    const store = open(dir);
    const c = store.forTenant('t1').collection(deliveries);
    await c.insertMany(Array.from({ length: 400 }, (_, i) => delivery(i)));
    const cold = join(dir, 'cold_deliveries.db.cold');
    const before = statSync(cold).size;
    expect(await c.deleteMany({ status: 'odd' })).toBe(200);
    expect(await c.deleteMany({ key: { $in: Array.from({ length: 150 }, (_, i) => `k${2 * i}`) } })).toBe(150);
    await store.close();
    const after = statSync(cold).size;
    expect(after).toBeLessThan(before / 4);
    expect(existsSync(`${cold}~`)).toBe(false);

    const again = open(dir).forTenant('t1').collection(deliveries);
    const left = await again.find({}, { sort: { key: 1 } });
    expect(left).toHaveLength(50);
    for (const d of left) expect(d.body).toBe(delivery(Number(d.key.slice(1))).body);
    const added = await again.insert(delivery(1000));
    expect((await again.findById(added._id))?.body).toBe(delivery(1000).body);
  });

  it('keeps the lines of inserts still under way when the datastore compacts', async () => {
    const dir = tempDir();
    const store = open(dir);
    const c = store.forTenant('t1').collection(deliveries);
    await c.insertMany(Array.from({ length: 400 }, (_, i) => delivery(i)));
    await c.deleteMany({ key: { $nin: ['k0', 'k1'] } });
    // Closing compacts; these inserts append their lines first and reach the datastore after it.
    const inserts = Array.from({ length: 30 }, (_, i) => c.insert(delivery(500 + i)));
    await store.close();
    const ids = (await Promise.all(inserts)).map((d) => d._id);

    const again = open(dir).forTenant('t1').collection(deliveries);
    for (const [i, id] of ids.entries()) expect((await again.findById(id))?.body).toBe(delivery(500 + i).body);
    expect((await again.findOne({ key: 'k1' }))?.body).toBe(delivery(1).body);
  });

  it('cuts off a line torn by a crash and keeps appending after the last whole one', async () => {
    const dir = tempDir();
    const store = open(dir);
    const c = store.forTenant('t1').collection(deliveries);
    const kept = await c.insert(delivery(1));
    await store.close();
    appendFileSync(join(dir, 'cold_deliveries.db.cold'), '"never-stored"\t{"body":"dG9y');

    const reopened = open(dir);
    const again = reopened.forTenant('t1').collection(deliveries);
    expect((await again.findById(kept._id))?.body).toBe(delivery(1).body);
    const next = await again.insert(delivery(2));
    expect((await again.findById(next._id))?.body).toBe(delivery(2).body);
    await reopened.close();
    const third = open(dir).forTenant('t1').collection(deliveries);
    expect((await third.find({}, { sort: { key: 1 } })).map((d) => d.body)).toEqual([delivery(1).body, delivery(2).body]);
  });

  it('keeps them in the documents of an in-memory store', async () => {
    const c = open(tempDir(), true).forTenant('t1').collection(deliveries);
    const { _id } = await c.insert(delivery(4));
    expect(await c.findById(_id)).toMatchObject({ body: delivery(4).body, headers: delivery(4).headers });
    expect((await c.find({ body: delivery(4).body })).map((d) => d._id)).toEqual([_id]);
  });
});
