import { encodeCursor, decodeCursor, InvalidCursorError } from './cursor-codec.ts';
import { DuplicateKeyError, StoreMisuseError, VersionConflictError } from './errors.ts';
import { newId } from './new-id.ts';
import type {
  BaseDoc,
  Collection,
  CollectionDef,
  Filter,
  FindOneAndUpdateOptions,
  FindOptions,
  NewDoc,
  Page,
  PageOptions,
  RawCollection,
  RawStore,
  SortSpec,
  Store,
  TenantStore,
  Update,
  UpdateOptions,
  WriteListener,
} from './types.ts';

const OWNED_FIELDS = new Set(['_id', 'tenantId', 'version', 'createdAt']);
const CROSSING_STAGES = new Set(['$lookup', '$graphLookup', '$unionWith', '$out', '$merge']);
const UPDATE_OPERATORS = new Set(['$set', '$unset', '$inc', '$push', '$pull', '$addToSet', '$min', '$max', '$setOnInsert']);

/**
 * Wraps an adapter with what every adapter must behave the same on: ids, versions, timestamps,
 * tenant scoping, optimistic concurrency, upserts and cursor pages.
 */
export function createStore(raw: RawStore, options: { now?: () => Date } = {}): Store {
  const now = options.now ?? (() => new Date());
  const raws = new Map<string, Promise<RawCollection>>();
  const defs = new Map<string, CollectionDef>();
  // Bound collections are reused per tenant and type: building one per request costs more than the query.
  const bound = new Map<string, Collection<BaseDoc>>();
  const writeListeners = new Map<string, Set<WriteListener>>();
  const written: Written = {
    watched: (name) => writeListeners.has(name),
    report(name, ids, tenantId) {
      const listeners = writeListeners.get(name);
      if (!listeners) return;
      const change = tenantId === undefined ? { ids } : { ids, tenantId };
      for (const listener of listeners) {
        try {
          listener(change);
        } catch {
          // A listener's failure is its own; the write it reports has happened.
        }
      }
    },
  };
  const bindCached = <T extends BaseDoc>(def: CollectionDef<T>, tenantId: string | undefined): Collection<T> => {
    const key = `${def.name}\u0000${tenantId ?? ''}`;
    let c = bound.get(key);
    if (!c) {
      if (bound.size >= 50_000) bound.clear();
      c = bind<BaseDoc>(def as CollectionDef<BaseDoc>, () => rawFor(def), tenantId, now, written);
      bound.set(key, c);
    }
    return c as unknown as Collection<T>;
  };

  function rawFor(def: CollectionDef): Promise<RawCollection> {
    const known = defs.get(def.name);
    if (known && known.scope !== def.scope) {
      throw new StoreMisuseError(`collection ${def.name} is declared both ${known.scope} and ${def.scope}`);
    }
    defs.set(def.name, def);
    let p = raws.get(def.name);
    if (!p) {
      p = raw.collection(def);
      raws.set(def.name, p);
      // A failed open must not be cached forever.
      p.catch(() => raws.delete(def.name));
    }
    return p;
  }

  return {
    kind: raw.kind,
    forTenant(tenantId: string): TenantStore {
      if (typeof tenantId !== 'string' || tenantId.length === 0) {
        throw new StoreMisuseError('a tenant id is required');
      }
      return {
        tenantId,
        collection<T extends BaseDoc>(def: CollectionDef<T>): Collection<T> {
          if (def.scope !== 'tenant') throw new StoreMisuseError(`${def.name} is not tenant-scoped`);
          return bindCached(def, tenantId);
        },
      };
    },
    platform<T extends BaseDoc>(def: CollectionDef<T>): Collection<T> {
      if (def.scope !== 'platform') throw new StoreMisuseError(`${def.name} is tenant-scoped; use forTenant()`);
      return bindCached(def, undefined);
    },
    maintenance<T extends BaseDoc>(def: CollectionDef<T>): Collection<T> {
      return bind<T>(def, () => rawFor(def), undefined, now, written);
    },
    onWrite(collection, listener) {
      let listeners = writeListeners.get(collection);
      if (!listeners) writeListeners.set(collection, (listeners = new Set()));
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && writeListeners.get(collection) === listeners) writeListeners.delete(collection);
      };
    },
    ping: () => raw.ping(),
    close: () => raw.close(),
  };
}

/** The store's write listeners, as a bound collection reports to them; `ids` null when not known. */
interface Written {
  watched(collection: string): boolean;
  report(collection: string, ids: readonly string[] | null, tenantId: string | undefined): void;
}

function bind<T extends BaseDoc>(
  def: CollectionDef<T>,
  open: () => Promise<RawCollection>,
  tenantId: string | undefined,
  now: () => Date,
  written: Written,
): Collection<T> {
  /** Reports a write once it settled, also when it failed (it may have been applied); unwatched collections skip this. */
  const tracked = <R>(write: Promise<R>, ids: (result: R) => readonly string[] | null): Promise<R> =>
    !written.watched(def.name)
      ? write
      : write.then(
          (result) => {
            written.report(def.name, ids(result), tenantId);
            return result;
          },
          (err: unknown) => {
            written.report(def.name, null, tenantId);
            throw err;
          },
        );

  const scope = (filter: Filter): Filter => {
    if (tenantId === undefined) return filter;
    if ('tenantId' in filter) throw new StoreMisuseError('tenantId is set by the store, not by callers');
    return { ...filter, tenantId };
  };

  const prepare = (doc: NewDoc<T>, at: Date): Record<string, unknown> => {
    const d = { ...(doc as Record<string, unknown>) };
    for (const f of ['version', 'createdAt', 'updatedAt', 'tenantId']) delete d[f];
    const out: Record<string, unknown> = { _id: typeof d._id === 'string' && d._id ? d._id : newId(), ...d };
    out._id ??= newId();
    if (tenantId !== undefined) out.tenantId = tenantId;
    out.version = 1;
    out.createdAt = at;
    out.updatedAt = at;
    return out;
  };

  const stamp = (update: Update): Update => {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [op, fields] of Object.entries(update)) {
      if (!UPDATE_OPERATORS.has(op)) throw new StoreMisuseError(`unsupported update operator ${op}`);
      if (op === '$setOnInsert' || fields === undefined) continue;
      for (const path of Object.keys(fields as object)) {
        const head = path.split('.')[0]!;
        if (OWNED_FIELDS.has(head) || head === 'updatedAt') {
          throw new StoreMisuseError(`${path} is maintained by the store`);
        }
      }
      out[op] = { ...(fields as Record<string, unknown>) };
    }
    out.$set = { ...(out.$set ?? {}), updatedAt: now() };
    out.$inc = { ...(out.$inc ?? {}), version: 1 };
    return out as Update;
  };

  async function conflictOrMissing(c: RawCollection, filter: Filter, expected: number): Promise<null> {
    const current = await c.findOne(scope(filter), { projection: { _id: 1, version: 1 } });
    if (current) {
      throw new VersionConflictError(def.name, String(current._id), expected, current.version as number);
    }
    return null;
  }

  /** Builds the document an upsert inserts: the filter's equality fields, then the update. */
  const upsertDoc = (filter: Filter, update: Update): NewDoc<T> => {
    const doc: Record<string, unknown> = {};
    const put = (path: string, value: unknown): void => {
      const parts = path.split('.');
      let cur = doc;
      for (const p of parts.slice(0, -1)) {
        if (typeof cur[p] !== 'object' || cur[p] === null) cur[p] = {};
        cur = cur[p] as Record<string, unknown>;
      }
      cur[parts[parts.length - 1]!] = value;
    };
    for (const [k, v] of Object.entries(filter)) {
      if (k.startsWith('$')) continue;
      if (v !== null && typeof v === 'object' && !(v instanceof Date) && Object.keys(v).some((x) => x.startsWith('$'))) {
        const eq = (v as Record<string, unknown>).$eq;
        if (eq !== undefined) put(k, eq);
        continue;
      }
      put(k, v);
    }
    for (const [k, v] of Object.entries(update.$setOnInsert ?? {})) put(k, v);
    for (const [k, v] of Object.entries(update.$set ?? {})) put(k, v);
    for (const [k, v] of Object.entries(update.$inc ?? {})) put(k, v);
    for (const [k, v] of Object.entries(update.$min ?? {})) put(k, v);
    for (const [k, v] of Object.entries(update.$max ?? {})) put(k, v);
    for (const [k, v] of Object.entries({ ...(update.$push ?? {}), ...(update.$addToSet ?? {}) })) {
      const each = v !== null && typeof v === 'object' && '$each' in v ? (v as { $each: unknown[] }).$each : [v];
      put(k, [...each]);
    }
    return doc as NewDoc<T>;
  };

  async function findOneAndUpdate(filter: Filter, update: Update, options: FindOneAndUpdateOptions = {}, coldFields = true): Promise<T | null> {
    const c = await open();
    const { expectedVersion, upsert = false, returnDocument = 'after' } = options;
    const f = expectedVersion === undefined ? filter : { ...filter, version: expectedVersion };
    const stamped = stamp(update);
    for (let attempt = 0; ; attempt += 1) {
      const res = await tracked(c.findOneAndUpdate(scope(f), stamped, { returnDocument, upsert: false, coldFields }), (r) => (r ? [String(r._id)] : []));
      if (res) return res as unknown as T;
      if (expectedVersion !== undefined) return conflictOrMissing(c, filter, expectedVersion);
      if (!upsert) return null;
      try {
        const inserted = prepare(upsertDoc(filter, update), now());
        await tracked(c.insertMany([inserted]), () => [String(inserted._id)]);
        return returnDocument === 'after' ? (inserted as unknown as T) : null;
      } catch (err) {
        // Another writer inserted the same key first: apply the update to its document instead.
        if (!(err instanceof DuplicateKeyError) || attempt > 2) throw err;
      }
    }
  }

  return {
    name: def.name,
    async insert(doc) {
      const c = await open();
      const d = prepare(doc, now());
      await tracked(c.insertMany([d]), () => [String(d._id)]);
      return d as unknown as T;
    },
    async insertMany(docs) {
      if (docs.length === 0) return [];
      const c = await open();
      const at = now();
      const ds = docs.map((d) => prepare(d, at));
      await tracked(c.insertMany(ds), () => ds.map((d) => String(d._id)));
      return ds as unknown as T[];
    },
    async findOne(filter, options) {
      const c = await open();
      return (await c.findOne(scope(filter), options)) as unknown as T | null;
    },
    async findById(id) {
      const c = await open();
      return (await c.findOne(scope({ _id: id }))) as unknown as T | null;
    },
    async find(filter, options?: FindOptions) {
      const c = await open();
      return (await c.find(scope(filter), options)) as unknown as T[];
    },
    async page(filter, options: PageOptions = {}): Promise<Page<T>> {
      const c = await open();
      const { sortBy = '_id', direction = 1, cursor } = options;
      const limit = Math.max(1, Math.min(options.limit ?? 50, 1000));
      const cmp = direction === 1 ? '$gt' : '$lt';
      const pos = cursor ? decodeCursor(cursor) : undefined;
      if (pos === null) throw new InvalidCursorError();
      const base = scope(filter);
      const read = async (f: Filter, sort: SortSpec, n: number): Promise<T[]> =>
        (await c.find(f, { sort, limit: n })) as unknown as T[];
      let rows: T[];
      if (sortBy === '_id') {
        rows = await read(pos ? { $and: [base, { _id: { [cmp]: pos.id } }] } : base, { _id: direction }, limit + 1);
      } else {
        // Null and missing values sort first and compare to nothing, so a range on the field can
        // never step past them: they are paged as their own run, by `_id` alone, before (ascending)
        // or after (descending) the documents that hold a value.
        const absent: Filter = { $or: [{ [sortBy]: null }, { [sortBy]: { $exists: false } }] };
        const present: Filter = { [sortBy]: { $exists: true, $ne: null } };
        const inAbsent = pos !== undefined && pos.value === null;
        const absentRun = (n: number) => read({ $and: [base, absent, ...(inAbsent ? [{ _id: { [cmp]: pos.id } }] : [])] }, { _id: direction }, n);
        const presentRun = (n: number) => {
          const after: Filter[] = pos && !inAbsent ? [{ $or: [{ [sortBy]: { [cmp]: pos.value } }, { [sortBy]: pos.value, _id: { [cmp]: pos.id } }] }] : [];
          return read({ $and: [base, present, ...after] }, { [sortBy]: direction, _id: direction }, n);
        };
        const runs = direction === 1 ? [absentRun, presentRun] : [presentRun, absentRun];
        // Descending, a cursor among the absent values has left every present one behind.
        const from = direction === -1 && inAbsent ? 1 : direction === 1 && pos !== undefined && !inAbsent ? 1 : 0;
        rows = [];
        for (const run of runs.slice(from)) {
          rows.push(...(await run(limit + 1 - rows.length)));
          if (rows.length > limit) break;
        }
      }
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      const nextCursor =
        rows.length > limit && last ? encodeCursor(readPath(last as unknown as Record<string, unknown>, sortBy), last._id) : null;
      return { items, nextCursor };
    },
    async count(filter = {}) {
      const c = await open();
      return c.count(scope(filter));
    },
    async updateOne(filter, update, options?: UpdateOptions) {
      return findOneAndUpdate(filter, update, { ...options, returnDocument: 'after' }, false);
    },
    findOneAndUpdate: (filter, update, options) => findOneAndUpdate(filter, update, options),
    async updateMany(filter, update) {
      const c = await open();
      return tracked(c.updateMany(scope(filter), stamp(update)), () => null);
    },
    async deleteOne(filter) {
      const c = await open();
      return tracked(c.deleteOne(scope(filter)), () => null);
    },
    async deleteMany(filter) {
      const c = await open();
      return tracked(c.deleteMany(scope(filter)), () => null);
    },
    async aggregate<R>(pipeline: Record<string, unknown>[]) {
      const c = await open();
      if (tenantId !== undefined) {
        // These stages read or write other collections, which the tenant scope cannot cover.
        const crossing = pipeline.flatMap((stage) => Object.keys(stage)).find((k) => CROSSING_STAGES.has(k));
        if (crossing) throw new StoreMisuseError(`${crossing} is not allowed in a tenant-scoped aggregation`);
      }
      const scoped = tenantId === undefined ? pipeline : [{ $match: { tenantId } }, ...pipeline];
      return (await c.aggregate(scoped)) as R[];
    },
  };
}

function readPath(doc: Record<string, unknown>, path: string): unknown {
  let cur: unknown = doc;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur ?? null;
}
