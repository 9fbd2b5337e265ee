import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type NedbModule from '@seald-io/nedb';
import { Aggregator } from 'mingo';
import { Context } from 'mingo/core';
import mingoContext from 'mingo/init/context';
import { DuplicateKeyError } from './errors.ts';
import { pushDownLeadingMatch } from './nedb-pushdown.ts';
import { sharedInputFacet } from './shared-input-facet.ts';
import { sortedTopK, supportsTopK } from './nedb-top-k.ts';
import { compileMatcher } from './nedb-match.ts';
import { createGroupInsert, releaseDatafile, supportsGroupInsert } from './nedb-group-insert.ts';
import { coldFileOf, releaseColdFile, withColdFields } from './nedb-cold-fields.ts';
import { fieldsNeeded } from './pipeline-fields.ts';
import type { CollectionDef, Filter, FindOptions, RawCollection, RawStore, Update } from './types.ts';

// nedb is CommonJS assigning the class to module.exports, which its typings describe as a default export.
const Datastore = createRequire(import.meta.url)('@seald-io/nedb') as typeof NedbModule.default;
type Db = InstanceType<typeof Datastore>;
type Row = Record<string, unknown>;
// Node resolves mingo's CommonJS build, other loaders its ESM build; the two expose the initialiser differently.
const initContext = (typeof mingoContext === 'function' ? mingoContext : mingoContext.default) as typeof mingoContext.default;
// Every mingo operator, with a $facet that does not clone its input for read-only sub-pipelines.
const fullContext = Context.merge(Context.init({ pipeline: { $facet: sharedInputFacet } }), initContext());
// nedb's cursor and model, for sorted reads that pick their top k before copying (see nedb-top-k.ts).
const Cursor = createRequire(import.meta.url)('@seald-io/nedb/lib/cursor.js') as new (db: Db, query: Filter) => {
  projection(p: Record<string, 0 | 1>): { _project(rows: Row[]): Row[] };
};
const { deepCopy } = createRequire(import.meta.url)('@seald-io/nedb/lib/model.js') as {
  deepCopy<T>(v: T): T;
};

/**
 * The embedded adapter: one nedb datafile per collection under `dir` (append-only, compacted
 * periodically and on close). One process only; the caller holds the data dir lock.
 */
export function createNedbStore(options: { dir: string; inMemory?: boolean; compactEveryMs?: number }): RawStore {
  const { dir, inMemory = false, compactEveryMs = 10 * 60_000 } = options;
  if (!inMemory) mkdirSync(dir, { recursive: true });
  const dbs = new Map<string, Db>();

  return {
    kind: 'embedded',
    async collection(def: CollectionDef): Promise<RawCollection> {
      let db = dbs.get(def.name);
      if (!db) {
        db = new Datastore<Record<string, unknown>>(
          inMemory ? { inMemoryOnly: true } : { filename: join(dir, `${def.name}.db`) },
        );
        dbs.set(def.name, db);
        await db.loadDatabaseAsync();
        for (const idx of def.indexes ?? []) {
          const fields = Object.keys(idx.fields);
          await db.ensureIndexAsync({
            fieldName: fields.length === 1 ? fields[0]! : fields,
            unique: idx.unique ?? false,
            sparse: idx.sparse ?? false,
            ...(idx.expireAfterSeconds !== undefined ? { expireAfterSeconds: idx.expireAfterSeconds } : {}),
          });
        }
        if (!inMemory) db.setAutocompactionInterval(compactEveryMs);
      }
      const raw = nedbCollection(def.name, db);
      // Large payload fields stay on disk, out of the documents nedb keeps in memory (nedb-cold-fields.ts).
      const cold = !inMemory && def.coldFields?.length ? coldFileOf(db, join(dir, `${def.name}.db`), def.coldFields) : undefined;
      return cold ? withColdFields(raw, cold, def.coldFields!) : raw;
    },
    async ping() {
      // Nothing remote to reach; the datafiles were opened on first use.
    },
    async close() {
      for (const db of dbs.values()) {
        db.stopAutocompaction();
        if (!inMemory) await db.compactDatafileAsync();
        releaseDatafile(db);
        await releaseColdFile(db);
      }
      dbs.clear();
    },
  };
}

function nedbCollection(name: string, db: Db): RawCollection {
  // nedb runs each call atomically but not a read followed by a write; serialising writes per
  // collection makes compound operations (return-before, conditional updates) atomic here.
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <R>(fn: () => Promise<R>): Promise<R> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };

  const rethrow = (err: unknown): never => {
    if (err && typeof err === 'object' && (err as { errorType?: string }).errorType === 'uniqueViolated') {
      const key = (err as { key?: unknown }).key;
      throw new DuplicateKeyError(name, key === undefined ? [] : [String(key)], { cause: err });
    }
    throw err;
  };

  const topK = supportsTopK(db);
  const groupInsert = supportsGroupInsert(db) ? createGroupInsert(db, exclusive) : undefined;
  const cursor = async (filter: Filter, options: FindOptions = {}): Promise<Row[]> => {
    if (topK && options.sort && options.limit !== undefined && options.limit > 0) {
      // nedb sorts every match before applying the limit; pick the top k, then copy only those.
      const rows = await sortedTopK(db, filter, options.sort, options.limit, options.skip ?? 0);
      const projected = options.projection && Object.keys(options.projection).length > 0 ? new Cursor(db, filter).projection(options.projection)._project(rows) : rows;
      return projected.map((r) => deepCopy(r));
    }
    let c = db.findAsync(filter, options.projection ?? {});
    if (options.sort) c = c.sort(options.sort);
    if (options.skip) c = c.skip(options.skip);
    if (options.limit !== undefined) c = c.limit(options.limit);
    return (await c) as unknown as Row[];
  };

  /** Copies of `fields` (top-level names) of the documents matching `filter`; whole documents are never copied. */
  const readFields = (filter: Filter, fields: readonly string[]): Promise<Row[]> => {
    const pick = (doc: Row): Row => {
      const row: Row = {};
      for (const f of fields) {
        const v = doc[f];
        if (v !== undefined) row[f] = deepCopy(v);
      }
      return row;
    };
    if (!topK) {
      const projection = Object.fromEntries([...fields.map((f) => [f, 1]), ...(fields.includes('_id') ? [] : [['_id', 0]])]) as Record<string, 0 | 1>;
      return db.findAsync(filter, projection) as unknown as Promise<Row[]>;
    }
    return db.executor.pushAsync(async () => {
      const rows: Row[] = [];
      const matches = compileMatcher(filter);
      for (const doc of await db._getCandidatesAsync(filter)) if (matches(doc)) rows.push(pick(doc));
      return rows;
    });
  };

  return {
    name,
    // Concurrent inserts share one datafile append (group commit); see nedb-group-insert.ts.
    insertMany: groupInsert
      ? (docs) => groupInsert(docs).catch(rethrow)
      : (docs) =>
          exclusive(async () => {
            await db.insertAsync(docs).catch(rethrow);
          }),
    async findOne(filter, options = {}) {
      const rows = await cursor(filter, { ...options, limit: 1 });
      return rows[0] ?? null;
    },
    async find(filter, options) {
      return cursor(filter, options);
    },
    count: async (filter) => db.countAsync(filter),
    findOneAndUpdate: (filter, update, { returnDocument, upsert }) =>
      exclusive(async () => {
        const before = returnDocument === 'before' ? await cursor(filter, { limit: 1 }) : null;
        if (before && before.length === 0 && !upsert) return null;
        const target = before?.[0] ? { _id: before[0]._id } : filter;
        const res = await db
          .updateAsync(target, toNedbUpdate(update), { multi: false, upsert, returnUpdatedDocs: true })
          .catch(rethrow);
        if (res.numAffected === 0) return null;
        return returnDocument === 'before' ? (before?.[0] ?? null) : (res.affectedDocuments as unknown as Row | null);
      }),
    updateMany: (filter, update) =>
      exclusive(async () => {
        const res = await db.updateAsync(filter, toNedbUpdate(update), { multi: true }).catch(rethrow);
        return res.numAffected;
      }),
    deleteOne: (filter) =>
      exclusive(async () => {
        const doc = await cursor(filter, { limit: 1, projection: { _id: 1 } });
        if (!doc[0]) return false;
        return (await db.removeAsync({ _id: doc[0]._id }, { multi: false })) > 0;
      }),
    deleteMany: (filter) => exclusive(() => db.removeAsync(filter, { multi: true })),
    async aggregate(pipeline) {
      // What nedb can run of the leading $match stages runs there (on its indexes); mingo
      // evaluates the rest, over copies of only the fields the pipeline reads.
      const { filter, rest } = pushDownLeadingMatch(pipeline);
      const fields = fieldsNeeded(rest);
      const source = fields ? await readFields(filter, fields) : await cursor(filter);
      return new Aggregator(rest, { context: fullContext }).run(source) as Record<string, unknown>[];
    },
  };
}

/**
 * The update as nedb takes it: without `$setOnInsert` (the port applies it on its own insert
 * path; nedb treats `$unset` values alike), and with its values copied. nedb puts the values of
 * `$set`, `$push` and the like into the stored document as they are, so a caller changing an
 * object after writing it would change the stored document too, as MongoDB never does.
 */
function toNedbUpdate(update: Update): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const op in update) {
    if (op === '$setOnInsert') continue;
    const fields = (update as Record<string, unknown>)[op];
    out[op] = op === '$unset' || op === '$inc' ? fields : deepCopy(fields);
  }
  return out;
}
