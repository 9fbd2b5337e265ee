import { auditLogCollection } from '../../core/audit-log/index.ts';
import type { BaseDoc, Collection, CollectionDef, TenantStore } from '../../core/store/index.ts';

/**
 * The tenant's store, except that appending to the audit log fails while `state.down` is set, as
 * if the process stopped between a change and linking its entry. With `only`, just the appends it
 * picks fail. `state.failures` counts the appends refused.
 */
export function crashingAudit(db: TenantStore, only: (docs: readonly object[]) => boolean = () => true) {
  const state = { down: false, failures: 0 };
  const wrapped: TenantStore = {
    tenantId: db.tenantId,
    collection<T extends BaseDoc>(def: CollectionDef<T>): Collection<T> {
      const c = db.collection(def);
      if (def.name !== auditLogCollection.name) return c;
      return {
        ...c,
        insertMany: async (docs) => {
          if (state.down && only(docs)) {
            state.failures += 1;
            throw new Error('the process stopped here');
          }
          return c.insertMany(docs);
        },
      };
    },
  };
  return { db: wrapped, state };
}
