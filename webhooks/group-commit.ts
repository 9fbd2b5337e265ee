/** One item's outcome within a batch. */
export type BatchOutcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

/** Thrown to callers when a lane already holds `maxPending` items (its backend has stopped answering). */
export class LaneFullError extends Error {
  override readonly name = 'LaneFullError';
}

/**
 * Group commit: per key, items that arrive in the same turn of the event loop go to `run`
 * together once that turn's I/O callbacks are done (`setImmediate`), and items that arrive while
 * a batch is in flight go together in the next one. Under load a few round trips carry many
 * items (every request parsed in one turn shares a batch); when idle an item waits for nothing
 * but the end of its turn. `run` returns one outcome per item, in order; if it throws, every
 * item of the batch fails with that error.
 */
export function createGroupCommit<I, O>(
  run: (key: string, batch: I[]) => Promise<BatchOutcome<O>[]>,
  { maxBatch = 256, maxPending = 10_000 }: { maxBatch?: number; maxPending?: number } = {},
): (key: string, item: I) => Promise<O> {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new TypeError('maxBatch must be a positive whole number');
  if (!Number.isInteger(maxPending) || maxPending < maxBatch) throw new TypeError('maxPending must be a whole number, at least maxBatch');

  interface Pending {
    item: I;
    resolve: (value: O) => void;
    reject: (err: unknown) => void;
  }
  const lanes = new Map<string, Pending[]>();

  async function drain(key: string, queue: Pending[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        const outcomes = await run(
          key,
          batch.map((p) => p.item),
        );
        batch.forEach((p, i) => {
          const outcome = outcomes[i];
          if (outcome?.ok) p.resolve(outcome.value);
          else p.reject(outcome ? outcome.error : new Error('no outcome for this item'));
        });
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    lanes.delete(key);
  }

  return function commit(key, item) {
    return new Promise<O>((resolve, reject) => {
      const queue = lanes.get(key);
      if (queue) {
        if (queue.length >= maxPending) return reject(new LaneFullError(`${maxPending} items are already waiting`));
        queue.push({ item, resolve, reject });
        return;
      }
      const fresh: Pending[] = [{ item, resolve, reject }];
      lanes.set(key, fresh);
      setImmediate(() => void drain(key, fresh));
    });
  };
}
