import { createSyncEngine, type SyncEngine } from '../sync/index.ts';
import type { WorkerContext } from './worker-context.ts';

const built = new WeakMap<WorkerContext, SyncEngine>();

/** The context's sync engine; one is built (once per context) when the wiring passed none. */
export function syncEngineOf(ctx: WorkerContext): SyncEngine {
  if (ctx.syncEngine !== undefined) return ctx.syncEngine;
  let engine = built.get(ctx);
  if (engine === undefined) {
    engine = createSyncEngine({
      store: ctx.store,
      vault: ctx.vault,
      queues: ctx.queues,
      logger: ctx.logger,
      now: ctx.now,
      allowPrivateUrls: ctx.allowPrivateUrls,
      ...(ctx.connectors === undefined ? {} : { connectors: ctx.connectors }),
    });
    built.set(ctx, engine);
  }
  return engine;
}
