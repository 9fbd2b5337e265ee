import type { WorkerSpec } from '../start-workers.ts';
import { syncEngineOf } from './sync-engine-of.ts';
import type { WorkerContext } from './worker-context.ts';

/** The `sync-out` queue: pushes of hub records, mapping activations and the resyncs they cause (see queues/sync). */
export function syncOutWorker(ctx: WorkerContext): WorkerSpec {
  return syncEngineOf(ctx).syncOutWorker();
}
