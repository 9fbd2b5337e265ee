import type { BaseDoc, Collection, CollectionDef, Filter, TenantStore } from '../../core/store/index.ts';

/**
 * The store as seen by a writer that another writer overtakes: the first read whose filter
 * `races` accepts runs `competitor` to the end before its answer comes back, so what was read is
 * already stale when the writer acts on it.
 */
export function overtakenAfterRead(db: TenantStore, competitor: () => Promise<unknown>, races: (filter: Filter) => boolean = () => true): TenantStore {
  let raced = false;
  return {
    tenantId: db.tenantId,
    collection: <T extends BaseDoc>(def: CollectionDef<T>): Collection<T> => {
      const col = db.collection(def);
      return Object.assign(Object.create(col) as Collection<T>, {
        findOne: async (...args: Parameters<Collection<T>['findOne']>) => {
          const found = await col.findOne(...args);
          if (!raced && races(args[0])) {
            raced = true;
            await competitor();
          }
          return found;
        },
      });
    },
  };
}
