import type { WorkerSpec } from '../start-workers.ts';
import { syncEngineOf } from './sync-engine-of.ts';
import type { WorkerContext } from './worker-context.ts';

/** The `sync-in` queue: remote records from webhooks, polling sweeps and the polling schedulers (see queues/sync). */
export function syncInWorker(ctx: WorkerContext): WorkerSpec {
  return syncEngineOf(ctx).syncInWorker();
}
