import type { BaseDoc, Collection, CollectionDef, TenantStore } from '../../core/store/index.ts';

const WRITES = ['insert', 'insertMany', 'updateOne', 'findOneAndUpdate', 'updateMany', 'deleteOne', 'deleteMany'] as const;

/**
 * The tenant's store as a process that stops before its write number `state.stopAt` (from 0):
 * that write and every later one fail, as if the process had stopped there, while reads still
 * answer. `state.writes` names every write tried (`collection.method`), in order, the failed
 * ones included, so a first run without a stop tells how many points a request can stop at.
 */
export function crashingStore(db: TenantStore) {
  const state = { stopAt: Number.POSITIVE_INFINITY, writes: [] as string[] };
  const wrapped: TenantStore = {
    tenantId: db.tenantId,
    collection<T extends BaseDoc>(def: CollectionDef<T>): Collection<T> {
      const c = db.collection(def);
      const guarded: Collection<T> = { ...c };
      for (const method of WRITES) {
        const write = c[method] as (...args: unknown[]) => Promise<unknown>;
        (guarded as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
          const n = state.writes.push(`${def.name}.${method}`) - 1;
          if (n >= state.stopAt) throw new Error('the process stopped here');
          return write.apply(c, args);
        };
      }
      return guarded;
    },
  };
  return { db: wrapped, state };
}
