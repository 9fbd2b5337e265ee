import type { QueueName } from '../queue-names.ts';
import type { WorkerSpec } from '../start-workers.ts';
import { escalationsWorker } from './escalations-worker.ts';
import { notifyWorker } from './notify-worker.ts';
import { outboxWorker } from './outbox-worker.ts';
import { probesWorker } from './probes-worker.ts';
import { syncInWorker } from './sync-in-worker.ts';
import { syncOutWorker } from './sync-out-worker.ts';
import { webhooksWorker } from './webhooks-worker.ts';
import type { WorkerContext } from './worker-context.ts';

export type { WorkerContext } from './worker-context.ts';
export type { DomainEventHook } from '../domain-event-hook.ts';

/** The processor for each queue, one file per queue in this folder. */
export function workerSpecs(ctx: WorkerContext): Partial<Record<QueueName, WorkerSpec>> {
  return {
    webhooks: webhooksWorker(ctx),
    outbox: outboxWorker(ctx),
    'sync-out': syncOutWorker(ctx),
    'sync-in': syncInWorker(ctx),
    notify: notifyWorker(ctx),
    probes: probesWorker(ctx),
    escalations: escalationsWorker(ctx),
  };
}
