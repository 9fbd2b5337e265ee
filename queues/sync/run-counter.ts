import type { Store } from '../../core/store/index.ts';
import { countRun, type RunRef, type SyncCounts, type SyncOutcome } from '../../core/sync/index.ts';

/** Outcome counts buffered per run and written in one update per run and flush. */
export interface RunCounter {
  count(tenantId: string, run: RunRef, outcome: SyncOutcome, n?: number): void;
  /** Writes what is buffered. */
  flush(): Promise<void>;
  /** Stops the timer after a last flush. */
  close(): Promise<void>;
}

/**
 * Counts are statistics: buffering them for a second (one store write per run instead of one per
 * record) costs at most that second's counts if the process dies.
 */
export function createRunCounter({ store, now, flushEveryMs = 1000 }: { store: Store; now: () => Date; flushEveryMs?: number }): RunCounter {
  let pending = new Map<string, { tenantId: string; run: RunRef; counts: Partial<SyncCounts> }>();
  let flushing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    const batch = pending;
    pending = new Map();
    flushing = flushing.then(async () => {
      for (const { tenantId, run, counts } of batch.values()) {
        await countRun(store.forTenant(tenantId), run, counts, now()).catch(() => undefined);
      }
    });
    return flushing;
  };
  const timer = setInterval(() => void flush(), flushEveryMs);
  timer.unref();
  return {
    count(tenantId, run, outcome, n = 1) {
      const key = `${tenantId}/${run.id}`;
      let entry = pending.get(key);
      if (entry === undefined) {
        entry = { tenantId, run, counts: {} };
        pending.set(key, entry);
      }
      entry.run = run;
      entry.counts[outcome] = (entry.counts[outcome] ?? 0) + n;
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
