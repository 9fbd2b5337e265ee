/**
 * The store port: a small subset of MongoDB's query and update language that both the embedded
 * store and MongoDB execute identically, so one query works on both.
 */

/** Every stored document carries these fields; the store maintains all but `_id`. */
export interface BaseDoc {
  _id: string;
  /** Present on tenant-scoped documents; set and enforced by the store, never by callers. */
  tenantId?: string;
  /** Incremented by every update; the basis of optimistic concurrency. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A MongoDB filter document (`$eq`, `$gt`, `$in`, `$exists`, `$and`, `$or`, dotted paths, ...). */
export type Filter = Record<string, unknown>;

/**
 * A MongoDB update document. Supported on every adapter:
 * `$set`, `$unset`, `$inc`, `$push` (with `$each`), `$pull`, `$addToSet`, `$min`, `$max`,
 * and `$setOnInsert` with upserts.
 */
export interface Update {
  $set?: Record<string, unknown>;
  $unset?: Record<string, true | 1 | ''>;
  $inc?: Record<string, number>;
  $push?: Record<string, unknown>;
  $pull?: Record<string, unknown>;
  $addToSet?: Record<string, unknown>;
  $min?: Record<string, unknown>;
  $max?: Record<string, unknown>;
  /** Applied only when an upsert inserts. */
  $setOnInsert?: Record<string, unknown>;
}

export type SortSpec = Record<string, 1 | -1>;

export interface FindOptions {
  sort?: SortSpec;
  limit?: number;
  skip?: number;
  /** Inclusion (`{ a: 1 }`) or exclusion (`{ a: 0 }`) projection. */
  projection?: Record<string, 0 | 1>;
}

export interface PageOptions {
  /** Sort field; ties are broken by `_id`. @default '_id' */
  sortBy?: string;
  /** @default 1 */
  direction?: 1 | -1;
  /** @default 50 */
  limit?: number;
  /** An opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface UpdateOptions {
  /** The update applies only if the stored document has this version; otherwise VersionConflictError. */
  expectedVersion?: number;
  /** Insert when nothing matches; the inserted document combines equality fields of the filter and the update. */
  upsert?: boolean;
}

export interface FindOneAndUpdateOptions extends UpdateOptions {
  /** @default 'after' */
  returnDocument?: 'before' | 'after';
}

export interface IndexSpec {
  fields: Record<string, 1 | -1>;
  unique?: boolean;
  /**
   * Documents without the indexed field stay out of the index (and so of its uniqueness). With
   * several fields, a document stays out only when every one of them is missing (the embedded
   * store and MongoDB alike): give the field that comes and goes an index of its own.
   */
  sparse?: boolean;
  /** Documents expire this many seconds after the (single, date) indexed field. */
  expireAfterSeconds?: number;
}

/** A document type: its collection name, whether it is tenant-scoped, and its indexes. */
export interface CollectionDef<T extends BaseDoc = BaseDoc> {
  name: string;
  /** `tenant` documents are reachable only through `store.forTenant(id)`. */
  scope: 'tenant' | 'platform';
  indexes?: IndexSpec[];
  /** Documents hold vault ciphertexts (strings starting with `enc:`); key rotation visits them. */
  holdsSecrets?: boolean;
  /**
   * Large top-level fields written once with a document and never filtered, sorted, updated or
   * aggregated on (raw payloads). The embedded store keeps them on disk beside the datafile rather
   * than in memory and reads them back with the document; MongoDB stores them like any field.
   */
  coldFields?: readonly string[];
  /** Phantom field carrying the document type. */
  readonly __doc?: T;
}

/** A document as callers insert it: the store fills in the bookkeeping fields. */
export type NewDoc<T extends BaseDoc> = Omit<T, 'version' | 'createdAt' | 'updatedAt' | 'tenantId' | '_id'> & {
  _id?: string;
};

export interface Collection<T extends BaseDoc> {
  readonly name: string;
  insert(doc: NewDoc<T>): Promise<T>;
  insertMany(docs: NewDoc<T>[]): Promise<T[]>;
  findOne(filter: Filter, options?: Pick<FindOptions, 'projection' | 'sort'>): Promise<T | null>;
  findById(id: string): Promise<T | null>;
  find(filter: Filter, options?: FindOptions): Promise<T[]>;
  /** Cursor pagination, stable under concurrent inserts. */
  page(filter: Filter, options?: PageOptions): Promise<Page<T>>;
  count(filter?: Filter): Promise<number>;
  /**
   * Updates one document and returns it as stored after the update, or null if none matched. On
   * the embedded store the result leaves out the collection's `coldFields` (kept on disk, and
   * never changed by an update); `findOneAndUpdate` reads them back.
   */
  updateOne(filter: Filter, update: Update, options?: UpdateOptions): Promise<T | null>;
  findOneAndUpdate(filter: Filter, update: Update, options?: FindOneAndUpdateOptions): Promise<T | null>;
  /** Returns the number of documents changed. */
  updateMany(filter: Filter, update: Update): Promise<number>;
  deleteOne(filter: Filter): Promise<boolean>;
  deleteMany(filter: Filter): Promise<number>;
  /** Runs a MongoDB aggregation pipeline; the embedded adapter evaluates it with mingo. */
  aggregate<R = Record<string, unknown>>(pipeline: Record<string, unknown>[]): Promise<R[]>;
}

/** Collections of one tenant. Every read and write is confined to that tenant. */
export interface TenantStore {
  readonly tenantId: string;
  collection<T extends BaseDoc>(def: CollectionDef<T>): Collection<T>;
}

export interface Store {
  readonly kind: 'embedded' | 'mongodb';
  /** Collections of one tenant; the only way to reach tenant-scoped collections. */
  forTenant(tenantId: string): TenantStore;
  /** Platform collections (tenants, API key lookup). Refuses tenant-scoped definitions. */
  platform<T extends BaseDoc>(def: CollectionDef<T>): Collection<T>;
  /**
   * Every collection the store has seen with `holdsSecrets`, unscoped, for maintenance such as
   * key rotation. Not for request paths.
   */
  maintenance<T extends BaseDoc>(def: CollectionDef<T>): Collection<T>;
  /**
   * Calls `listener` after every write this store object makes to the named collection (also after
   * one that failed, which may have been applied), before the write's promise settles: with the ids
   * written, or null when they are not known (`updateMany`, `deleteOne`, `deleteMany`, failures),
   * and the tenant for tenant-scoped writes. Writes by other processes are not seen. What a
   * listener throws is dropped. Returns the function that removes the listener.
   */
  onWrite?(collection: string, listener: WriteListener): () => void;
  /** Throws when the backing database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What {@link Store.onWrite} reports about one write. */
export type WriteListener = (change: { ids: readonly string[] | null; tenantId?: string }) => void;

/** What an adapter implements; tenant scoping and bookkeeping are layered on top by the port. */
export interface RawCollection {
  readonly name: string;
  insertMany(docs: Record<string, unknown>[]): Promise<void>;
  findOne(filter: Filter, options?: FindOptions): Promise<Record<string, unknown> | null>;
  find(filter: Filter, options?: FindOptions): Promise<Record<string, unknown>[]>;
  count(filter: Filter): Promise<number>;
  /** Atomically applies `update` to the first document matching `filter`. With `coldFields: false` the result may leave out fields an adapter keeps apart. */
  findOneAndUpdate(
    filter: Filter,
    update: Update,
    options: { returnDocument: 'before' | 'after'; upsert: boolean; coldFields?: boolean },
  ): Promise<Record<string, unknown> | null>;
  updateMany(filter: Filter, update: Update): Promise<number>;
  deleteOne(filter: Filter): Promise<boolean>;
  deleteMany(filter: Filter): Promise<number>;
  aggregate(pipeline: Record<string, unknown>[]): Promise<Record<string, unknown>[]>;
}

export interface RawStore {
  readonly kind: 'embedded' | 'mongodb';
  collection(def: CollectionDef): Promise<RawCollection>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
