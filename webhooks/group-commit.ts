/** One item's outcome within a batch. */
export type BatchOutcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

/** Thrown to callers when a lane already holds `maxPending` items (its backend has stopped answering). */
export class LaneFullError extends Error {
  override readonly name = 'LaneFullError';
}

/**
 * Group commit: per key, items that arrive in the same turn of the event loop go to `run`
 * together once that turn's I/O callbacks are done (`setImmediate`). Up to `maxInFlight` batches
 * of a key run at once; items that arrive while that many are in flight wait and go together in
 * the next one. Under load a few round trips carry many items; when idle an item waits for
 * nothing but the end of its turn. `run` returns one outcome per item, in order; if it throws,
 * every item of the batch fails with that error.
 */
export function createGroupCommit<I, O>(
  run: (key: string, batch: I[]) => Promise<BatchOutcome<O>[]>,
  { maxBatch = 256, maxPending = 10_000, maxInFlight = 1 }: { maxBatch?: number; maxPending?: number; maxInFlight?: number } = {},
): (key: string, item: I) => Promise<O> {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new TypeError('maxBatch must be a positive whole number');
  if (!Number.isInteger(maxPending) || maxPending < maxBatch) throw new TypeError('maxPending must be a whole number, at least maxBatch');
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new TypeError('maxInFlight must be a positive whole number');

  interface Pending {
    item: I;
    resolve: (value: O) => void;
    reject: (err: unknown) => void;
  }
  interface Lane {
    waiting: Pending[];
    inFlight: number;
    scheduled: boolean;
  }
  const lanes = new Map<string, Lane>();

  async function runBatch(key: string, lane: Lane, batch: Pending[]): Promise<void> {
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
    lane.inFlight -= 1;
    start(key, lane);
  }

  // Starts batches while the lane has items and room for another batch in flight.
  function start(key: string, lane: Lane): void {
    while (lane.waiting.length > 0 && lane.inFlight < maxInFlight) {
      lane.inFlight += 1;
      void runBatch(key, lane, lane.waiting.splice(0, maxBatch));
    }
    if (lane.waiting.length === 0 && lane.inFlight === 0 && !lane.scheduled) lanes.delete(key);
  }

  return function commit(key, item) {
    return new Promise<O>((resolve, reject) => {
      let lane = lanes.get(key);
      if (!lane) {
        lane = { waiting: [], inFlight: 0, scheduled: false };
        lanes.set(key, lane);
      }
      if (lane.waiting.length >= maxPending) return reject(new LaneFullError(`${maxPending} items are already waiting`));
      lane.waiting.push({ item, resolve, reject });
      if (!lane.scheduled && lane.inFlight < maxInFlight) {
        lane.scheduled = true;
        const l = lane;
        setImmediate(() => {
          l.scheduled = false;
          start(key, l);
        });
      }
    });
  };
}
