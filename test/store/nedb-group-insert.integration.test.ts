import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatafileAppender, writeAllSync } from '../../core/store/nedb-datafile-appender.ts';
import { datafileEntry, datafileLine } from '../../core/store/nedb-datafile-entry.ts';
import { createGroupInsert, releaseDatafile, supportsGroupInsert } from '../../core/store/nedb-group-insert.ts';
import { createNedbStore, createStore, DuplicateKeyError, type BaseDoc, type CollectionDef } from '../../core/store/index.ts';

// The adapter's own driver, reached the way the adapter reaches it, to drive the mechanism directly.
interface RawDatastore {
  loadDatabaseAsync(): Promise<void>;
  ensureIndexAsync(options: { fieldName: string; unique?: boolean }): Promise<void>;
  countAsync(query: object): Promise<number>;
  findAsync(query: object): Promise<Record<string, unknown>[]>;
  compactDatafileAsync(): Promise<void>;
  updateAsync(query: object, update: object): Promise<unknown>;
}
const require = createRequire(import.meta.url);
const Datastore = require('@seald-io/nedb') as new (options: { filename: string }) => RawDatastore;
const model = require('@seald-io/nedb/lib/model.js') as { serialize(v: unknown): string; deserialize(s: string): unknown; deepCopy<T>(v: T): T };

interface Item extends BaseDoc {
  key: string;
  n: number;
  at?: Date;
}
const items: CollectionDef<Item> = { name: 'group_items', scope: 'tenant', indexes: [{ fields: { key: 1 }, unique: true }] };

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hub-group-insert-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The documents the datafile holds now, by `_id` (later lines win, as when nedb loads it). */
function datafileDocs(file: string): Map<string, Record<string, unknown>> {
  const docs = new Map<string, Record<string, unknown>>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const doc = model.deserialize(line) as Record<string, unknown>;
    if (typeof doc._id === 'string') docs.set(doc._id, doc);
  }
  return docs;
}

async function openRaw(dir: string) {
  const db = new Datastore({ filename: join(dir, 'raw.db') });
  await db.loadDatabaseAsync();
  await db.ensureIndexAsync({ fieldName: 'key', unique: true });
  if (!supportsGroupInsert(db)) throw new Error('nedb internals changed');
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = (fn: () => Promise<void>) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
  return { db, insert: createGroupInsert(db, exclusive), file: join(dir, 'raw.db') };
}

describe('group insert on the embedded store', () => {
  it('has every acknowledged document in the datafile, concurrent inserts sharing appends', async () => {
    const dir = tempDir();
    const store = createStore(createNedbStore({ dir }));
    const col = store.forTenant('ten_a').collection(items);
    const inserted = await Promise.all(Array.from({ length: 40 }, (_, i) => col.insert({ key: `k${i}`, n: i, at: new Date(1_700_000_000_000 + i) })));
    // Read the file right after the acknowledgements, before anything else could flush it.
    const onDisk = datafileDocs(join(dir, 'group_items.db'));
    for (const doc of inserted) {
      const line = onDisk.get(doc._id);
      expect(line).toMatchObject({ key: doc.key, n: doc.n, tenantId: 'ten_a', version: 1 });
      expect((line!.at as Date).getTime()).toBe(doc.at!.getTime());
    }
    await store.close();
    const reopened = createStore(createNedbStore({ dir }));
    expect(await reopened.forTenant('ten_a').collection(items).count({})).toBe(40);
    await reopened.close();
  });

  it('refuses only the call whose documents break a unique index, and writes nothing of it', async () => {
    const dir = tempDir();
    const store = createStore(createNedbStore({ dir }));
    const col = store.forTenant('ten_a').collection(items);
    const results = await Promise.allSettled([
      col.insertMany([{ key: 'a', n: 1 }, { key: 'b', n: 2 }]),
      col.insertMany([{ key: 'c', n: 3 }, { key: 'a', n: 4 }]),
      col.insert({ key: 'd', n: 5 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateKeyError);
    expect((await col.find({}, { sort: { key: 1 } })).map((d) => d.key)).toEqual(['a', 'b', 'd']);
    const keys = [...datafileDocs(join(dir, 'group_items.db')).values()].map((d) => d.key).sort();
    expect(keys).toEqual(['a', 'b', 'd']);
    await store.close();
  });

  it('keeps nothing in memory and acknowledges nothing when the append fails', async () => {
    const dir = tempDir();
    const { db, insert } = await openRaw(dir);
    rmSync(dir, { recursive: true, force: true });
    const outcome = await Promise.allSettled([insert([{ _id: 'x1', key: 'x1', n: 1 }]), insert([{ _id: 'x2', key: 'x2', n: 2 }])]);
    expect(outcome.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(await db.countAsync({})).toBe(0);
    // The unique index forgot them too: the same keys go in once the file can be written again.
    mkdirSync(dir);
    await insert([{ _id: 'x1', key: 'x1', n: 1 }]);
    expect(await db.countAsync({})).toBe(1);
    releaseDatafile(db);
  });

  it('appends to the new datafile after nedb compacts (renames a new file over the old one)', async () => {
    const dir = tempDir();
    const { db, insert, file } = await openRaw(dir);
    await insert([{ _id: 'before', key: 'before', n: 1 }]);
    await db.compactDatafileAsync();
    await insert([{ _id: 'after', key: 'after', n: 2 }]);
    expect([...datafileDocs(file).keys()].sort()).toEqual(['after', 'before']);
    releaseDatafile(db);
    const again = new Datastore({ filename: file });
    await again.loadDatabaseAsync();
    expect((await again.findAsync({})).map((d) => d._id).sort()).toEqual(['after', 'before']);
  });
});

describe("nedb's own appends (updates, removals)", () => {
  it('are in the datafile when acknowledged, in order, also after a compaction, and load back', async () => {
    const dir = tempDir();
    const store = createStore(createNedbStore({ dir }));
    const col = store.forTenant('ten_a').collection(items);
    const a = await col.insert({ key: 'a', n: 1 });
    const b = await col.insert({ key: 'b', n: 1 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => col.updateOne({ _id: a._id }, { $inc: { n: 1 }, $set: { at: new Date(1_700_000_000_000 + i) } })));
    // Read the file right after the acknowledgements: the last line of each document wins.
    expect(datafileDocs(join(dir, 'group_items.db')).get(a._id)).toMatchObject({ n: 21 });
    expect(await col.deleteOne({ _id: b._id })).toBe(true);
    const lines = readFileSync(join(dir, 'group_items.db'), 'utf8').trim().split('\n');
    expect(model.deserialize(lines.at(-1)!)).toEqual({ _id: b._id, $$deleted: true });
    await store.close(); // compacts
    const reopened = createStore(createNedbStore({ dir }));
    const again = reopened.forTenant('ten_a').collection(items);
    await again.updateOne({ _id: a._id }, { $set: { n: 100 } });
    expect(datafileDocs(join(dir, 'group_items.db')).get(a._id)).toMatchObject({ n: 100 });
    expect((await again.find({})).map((d) => [d.key, d.n])).toEqual([['a', 100]]);
    await reopened.close();
    const third = createStore(createNedbStore({ dir }));
    expect((await third.forTenant('ten_a').collection(items).find({})).map((d) => [d.key, d.n])).toEqual([['a', 100]]);
    await third.close();
  });

  it('go through the descriptor kept open for inserts, not a fresh open per write', async () => {
    const dir = tempDir();
    const { db, insert, file } = await openRaw(dir);
    await insert([{ _id: 'x1', key: 'x1', n: 1 }]);
    // With the file unlinked, an append that opened the path again would make a new file there.
    unlinkSync(file);
    await db.updateAsync({ _id: 'x1' }, { $set: { n: 2 } });
    expect(existsSync(file)).toBe(false);
    releaseDatafile(db);
  });

  it('reject the write when the datafile cannot be written', async () => {
    const dir = tempDir();
    const { db, insert } = await openRaw(dir);
    await insert([{ _id: 'x1', key: 'x1', n: 1 }]);
    rmSync(dir, { recursive: true, force: true });
    // Released, so the next append has to open the file again, and cannot.
    releaseDatafile(db);
    await expect(db.updateAsync({ _id: 'x1' }, { $set: { n: 2 } })).rejects.toThrow(/ENOENT/);
    mkdirSync(dir);
    await db.updateAsync({ _id: 'x1' }, { $set: { n: 3 } });
    expect(datafileDocs(join(dir, 'raw.db')).get('x1')).toMatchObject({ n: 3 });
    releaseDatafile(db);
  });
});

describe('datafile appender', () => {
  it('writes text as UTF-8, byte for byte, multi-byte characters included', () => {
    const file = join(tempDir(), 'u.db');
    const fd = openSync(file, 'a');
    const text = `{"a":"café ☕ \ud83d\ude00 ${'x'.repeat(70_000)}"}\n`;
    writeAllSync(fd, text);
    writeAllSync(fd, 'ascii\n');
    closeSync(fd);
    expect(readFileSync(file)).toEqual(Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from('ascii\n')]));
  });

  it('reopens the file after every rewrite, failed ones included', async () => {
    const dir = tempDir();
    const file = join(dir, 'a.db');
    let rewrite = async (): Promise<void> => undefined;
    const persistence = {
      filename: file,
      modes: { fileMode: 0o644 },
      persistCachedDatabaseAsync: () => rewrite(),
    };
    const appender = createDatafileAppender(persistence);
    appender.append('one\n');
    rmSync(file);
    rewrite = async () => {
      throw new Error('disk full');
    };
    await expect(persistence.persistCachedDatabaseAsync()).rejects.toThrow('disk full');
    appender.append('two\n');
    expect(readFileSync(file, 'utf8')).toBe('two\n');
    appender.close();
  });
});

describe('datafile lines', () => {
  const cases: Record<string, Record<string, unknown>> = {
    plain: { _id: 'a', s: 'text "quoted" \\ é \u2028', n: -0, f: 1.5e-7, big: 1e21, b: false, nul: null },
    dates: { _id: 'b', at: new Date(1_700_000_000_123), bad: new Date(Number.NaN), nested: { when: [new Date(5)] } },
    holes: { _id: 'c', gone: undefined, list: [1, undefined, null, Number.NaN, Number.POSITIVE_INFINITY], deep: [[{ x: [] }], {}] },
    keys: { _id: 'd', '0': 'numeric key first', 'with space': 1, ünï: 'côdé', 'q"uo\\te': 'k' },
    escapes: { _id: 'e', lone: 'a\ud800b', pair: 'smile \ud83d\ude00', ctl: 'tab\there\u0001', nl: 'line\nbreak' },
    // Wide documents are copied from a template of their field names; two of one shape share it.
    wide: { _id: 'w1', '7': 'numeric', ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, i % 3 === 0 ? undefined : { i, at: new Date(i) }])) },
    wideAgain: { _id: 'w2', '7': null, ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, i % 4 === 0 ? `s${i}` : [i]])) },
  };
  for (const [name, doc] of Object.entries(cases)) {
    it(`match nedb's own copy and serialisation: ${name}`, () => {
      const entry = datafileEntry(doc);
      expect(entry.line).toBe(model.serialize(doc));
      expect(entry.copy).toStrictEqual(model.deepCopy(doc));
      expect(entry.copy).not.toBe(doc);
      expect(datafileLine(doc)).toBe(model.serialize(doc));
    });
  }

  it('gives a wide copy only its own fields, whichever shape came before', () => {
    const fields = Array.from({ length: 20 }, (_, i) => `g${i}`);
    datafileEntry(Object.fromEntries([['_id', 'x'], ...fields.map((f) => [f, 1])]));
    const { copy } = datafileEntry(Object.fromEntries([['_id', 'y'], ...fields.slice(1).map((f) => [f, 2]), ['extra', 3]]));
    expect(Object.keys(copy)).toEqual(['_id', ...fields.slice(1), 'extra']);
    expect(copy).not.toHaveProperty('g0');
  });

  it('copies nested objects instead of sharing them', () => {
    const doc = { _id: 'e', inner: { list: [{ v: 1 }] } };
    const { copy } = datafileEntry(doc);
    doc.inner.list[0]!.v = 2;
    expect(copy).toEqual({ _id: 'e', inner: { list: [{ v: 1 }] } });
  });

  it("refuses the field names nedb refuses, with nedb's errors", () => {
    expect(() => datafileEntry({ _id: 'f', 'a.b': 1 })).toThrow('Field names cannot contain a .');
    expect(() => datafileEntry({ _id: 'g', nested: { $set: 1 } })).toThrow('Field names cannot begin with the $ character');
    expect(() => datafileLine({ _id: 'f', 'a.b': 1 })).toThrow('Field names cannot contain a .');
    expect(() => datafileLine({ _id: 'g', nested: { $set: 1 } })).toThrow('Field names cannot begin with the $ character');
  });

  it("hands values it does not know to nedb's own path", () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const doc = { _id: 'h', p: new Point(1, 2), fn: () => 1 };
    const entry = datafileEntry(doc);
    expect(entry.line).toBe(model.serialize(doc));
    expect(entry.copy).toEqual(model.deepCopy(doc));
    expect(datafileLine(doc)).toBe(model.serialize(doc));
  });
});
