import type { BaseDoc, Collection, CollectionDef, TenantStore } from '../store/index.ts';

/** A collection to aggregate over: a bound collection, or a tenant store and a definition. */
export type AnalyticsSource = Pick<Collection<BaseDoc>, 'aggregate'> | { db: TenantStore; collection: CollectionDef<BaseDoc> };

/** Runs a pipeline on the source; the store scopes it to the tenant. */
export function runPipeline<R>(source: AnalyticsSource, pipeline: Record<string, unknown>[]): Promise<R[]> {
  const collection = 'db' in source ? source.db.collection(source.collection) : source;
  return collection.aggregate<R>(pipeline);
}

/** Throws a TypeError for an invalid `now`: callers pass a real instant. */
export function assertInstant(value: unknown, name: string): asserts value is Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new TypeError(`${name} must be a valid Date`);
}
