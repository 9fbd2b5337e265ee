import mongoose from 'mongoose';
import { DuplicateKeyError } from './errors.ts';
import type { CollectionDef, Filter, FindOptions, RawCollection, RawStore } from './types.ts';

type Row = Record<string, unknown>;

/**
 * The production adapter: MongoDB through mongoose, one schema per document type. The schemas
 * are open (`strict: false`) because the port owns validation; they carry each type's indexes.
 */
export async function createMongoStore(options: { uri: string; serverSelectionTimeoutMS?: number }): Promise<RawStore> {
  const conn = mongoose.createConnection(options.uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    autoIndex: false,
  });
  await conn.asPromise();
  const models = new Map<string, mongoose.Model<Row>>();

  return {
    kind: 'mongodb',
    async collection(def: CollectionDef): Promise<RawCollection> {
      let model = models.get(def.name);
      if (!model) {
        const schema = new mongoose.Schema<Row>(
          { _id: { type: String, required: true } },
          { strict: false, strictQuery: false, versionKey: false, collection: def.name, _id: false, autoIndex: false },
        );
        for (const idx of def.indexes ?? []) {
          schema.index(idx.fields, {
            unique: idx.unique ?? false,
            sparse: idx.sparse ?? false,
            ...(idx.expireAfterSeconds !== undefined ? { expireAfterSeconds: idx.expireAfterSeconds } : {}),
          });
        }
        model = conn.model<Row>(def.name, schema);
        models.set(def.name, model);
        await model.createIndexes();
      }
      return mongoCollection(def.name, model);
    },
    async ping() {
      const db = conn.db;
      if (!db) throw new Error('MongoDB connection is not open');
      await db.admin().ping();
    },
    async close() {
      await conn.close();
    },
  };
}

function mongoCollection(name: string, model: mongoose.Model<Row>): RawCollection {
  // The native collection keeps MongoDB's own semantics (no casting), exactly as the port expects.
  const col = model.collection;
  const rethrow = (err: unknown): never => {
    if (err && typeof err === 'object' && (err as { code?: number }).code === 11000) {
      const keyPattern = (err as { keyPattern?: Record<string, unknown> }).keyPattern ?? {};
      throw new DuplicateKeyError(name, Object.keys(keyPattern), { cause: err });
    }
    throw err;
  };
  const findOpts = (o: FindOptions = {}) => ({
    ...(o.projection ? { projection: o.projection } : {}),
    ...(o.sort ? { sort: o.sort } : {}),
    ...(o.skip ? { skip: o.skip } : {}),
    ...(o.limit !== undefined ? { limit: o.limit } : {}),
  });

  return {
    name,
    async insertMany(docs) {
      await col.insertMany(docs as never[], { ordered: true }).catch(rethrow);
    },
    async findOne(filter: Filter, options) {
      return (await col.findOne(filter, findOpts(options))) as Row | null;
    },
    async find(filter, options) {
      return (await col.find(filter, findOpts(options)).toArray()) as Row[];
    },
    count: (filter) => col.countDocuments(filter),
    async findOneAndUpdate(filter, update, { returnDocument, upsert }) {
      const res = await col
        .findOneAndUpdate(filter, update as Row, { returnDocument, upsert, includeResultMetadata: false })
        .catch(rethrow);
      return res as Row | null;
    },
    async updateMany(filter, update) {
      const res = await col.updateMany(filter, update as Row).catch(rethrow);
      return res.modifiedCount;
    },
    async deleteOne(filter) {
      return (await col.deleteOne(filter)).deletedCount > 0;
    },
    async deleteMany(filter) {
      return (await col.deleteMany(filter)).deletedCount;
    },
    async aggregate(pipeline) {
      return (await col.aggregate(pipeline, { allowDiskUse: true }).toArray()) as Row[];
    },
  };
}
