import { Gauge, type Registry } from 'prom-client';
import type { HubQueues } from './create-queues.ts';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children'] as const;

/** Exposes each queue's job counts by state, read from Redis at scrape time. */
export function registerQueueMetrics(registry: Registry, queues: HubQueues): void {
  new Gauge({
    name: 'hub_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        queues.all().map(async (q) => {
          const counts = await q.getJobCounts(...STATES);
          for (const state of STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
}
