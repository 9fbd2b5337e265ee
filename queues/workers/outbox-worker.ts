import type { Job } from 'bullmq';
import type { DomainEvent } from '../../core/domain/index.ts';
import { isPlatformEvent } from '../domain-event-hook.ts';
import { OUTBOX_RELAY_JOB, relayOutboxWhileBusy } from '../outbox-relay.ts';
import type { WorkerSpec } from '../start-workers.ts';
import type { WorkerContext } from './worker-context.ts';

/**
 * The `outbox` queue: `outbox.relay` jobs (from the job scheduler) move events out of documents;
 * every other job is one domain event, handed to each hook in `ctx.domainEvents` in turn. A hook
 * that throws fails the job, which retries, so hooks see an event at least once. A scheduled
 * platform-wide event (no tenant) goes only to the hooks that take such events.
 */
export function outboxWorker(ctx: WorkerContext): WorkerSpec {
  const hooks = ctx.domainEvents ?? [];
  // One relay at a time in this process: a tick that finds one running (it keeps going while it
  // finds events) would only read the same documents again.
  let relaying: Promise<unknown> | undefined;
  return {
    concurrency: 8,
    async processor(job: Job) {
      if (job.name === OUTBOX_RELAY_JOB) {
        if (relaying !== undefined) return { events: 0, documents: 0, rounds: 0, joined: true };
        relaying = relayOutboxWhileBusy({ store: ctx.store, queue: ctx.queues.get('outbox') }).finally(() => {
          relaying = undefined;
        });
        return relaying;
      }
      const raw = job.data as DomainEvent & { at: string | Date };
      const event: DomainEvent = { ...raw, at: new Date(raw.at) };
      const takers = isPlatformEvent(event) ? hooks.filter((h) => h.takesPlatformEvents === true) : hooks;
      for (const hook of takers) await hook(event);
      return { delivered: takers.length };
    },
  };
}
