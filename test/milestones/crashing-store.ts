import type { BaseDoc, Collection, CollectionDef, TenantStore } from '../../core/store/index.ts';

const WRITES = ['insert', 'insertMany', 'updateOne', 'findOneAndUpdate', 'updateMany', 'deleteOne', 'deleteMany'] as const;

/** The tenant's store with every write (`collection.method`) going through `around`, which decides when and whether it runs; reads pass. */
function interceptWrites(db: TenantStore, around: (write: string, run: () => Promise<unknown>) => Promise<unknown>): TenantStore {
  return {
    tenantId: db.tenantId,
    collection<T extends BaseDoc>(def: CollectionDef<T>): Collection<T> {
      const c = db.collection(def);
      const guarded: Collection<T> = { ...c };
      for (const method of WRITES) {
        const write = c[method] as (...args: unknown[]) => Promise<unknown>;
        (guarded as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => around(`${def.name}.${method}`, () => write.apply(c, args));
      }
      return guarded;
    },
  };
}

/**
 * The tenant's store as a process that stops before its write number `state.stopAt` (from 0):
 * that write and every later one fail, as if the process had stopped there, while reads still
 * answer. `state.writes` names every write tried (`collection.method`), in order, the failed
 * ones included, so a first run without a stop tells how many points a request can stop at.
 */
export function crashingStore(db: TenantStore) {
  const state = { stopAt: Number.POSITIVE_INFINITY, writes: [] as string[] };
  const wrapped = interceptWrites(db, async (write, run) => {
    const n = state.writes.push(write) - 1;
    if (n >= state.stopAt) throw new Error('the process stopped here');
    return run();
  });
  return { db: wrapped, state };
}

/** The tenant's store, where the next write named by `hold` (`collection.method`) waits until released. */
export function holdingStore(db: TenantStore) {
  let armed: { write: string; reached: () => void; released: Promise<void> } | undefined;
  const wrapped = interceptWrites(db, async (write, run) => {
    const waiting = armed;
    if (waiting?.write === write) {
      armed = undefined;
      waiting.reached();
      await waiting.released;
    }
    return run();
  });
  /** The next `write` waits: `reached` settles when it is tried, `release` lets it go on. */
  const hold = (write: string) => {
    let reached!: () => void;
    let release!: () => void;
    const atHold = new Promise<void>((resolve) => (reached = resolve));
    armed = { write, reached, released: new Promise<void>((resolve) => (release = resolve)) };
    return { reached: atHold, release };
  };
  return { db: wrapped, hold };
}
