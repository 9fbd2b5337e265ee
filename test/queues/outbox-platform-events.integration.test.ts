import { QueueEvents } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { pendingAuditHook } from '../../core/audit-log/index.ts';
import type { DomainEvent } from '../../core/domain/index.ts';
import { createNedbStore, createStore } from '../../core/store/index.ts';
import { connectRedis, createQueues, OUTBOX_COLLECTIONS, workerSpecs, type DomainEventHook, type WorkerContext } from '../../queues/index.ts';
import { escalationEventsHook, ruleNoticesHook } from '../../queues/escalations/index.ts';
import { createInvoicingHook, INVOICING_SWEEP_EVENT, scheduleInvoicingSweep } from '../../queues/invoicing/index.ts';
import { dropQueues, queuePrefix, REDIS_URL } from '../helpers/test-queues.ts';
import { testWorker } from '../helpers/test-worker.ts';

const prefix = queuePrefix('outbox-platform');
const redis = connectRedis(REDIS_URL);
const queues = createQueues({ connection: redis, prefix });
const store = createStore(createNedbStore({ dir: '', inMemory: true }));

afterAll(async () => {
  await dropQueues(queues);
  await redis.quit();
  await store.close();
});

describe('platform-wide events on the outbox queue', () => {
  it('the scheduled invoicing sweep completes beside the tenant-scoped hooks, which never see it', async () => {
    const tenantSeen: DomainEvent[] = [];
    const tenantScoped: DomainEventHook = (event) => void tenantSeen.push(event);
    const invoicing = createInvoicingHook({ store, now: () => new Date(), publicUrl: 'https://hub.test' });
    let swept = 0;
    const ctx = {
      store,
      queues,
      // The hooks `hub start` registers that scope every event to its tenant, then invoicing.
      domainEvents: [
        pendingAuditHook(store, OUTBOX_COLLECTIONS),
        escalationEventsHook({ store, queues, now: () => new Date() }),
        ruleNoticesHook({ store, queues, now: () => new Date(), publicUrl: 'https://hub.test' }),
        tenantScoped,
        Object.assign(async (event: DomainEvent) => {
          if (event.type === INVOICING_SWEEP_EVENT) swept += 1;
          await invoicing(event);
        }, { takesPlatformEvents: invoicing.takesPlatformEvents }),
      ],
    } as unknown as WorkerContext;
    const spec = workerSpecs(ctx).outbox!;
    const eventsConnection = redis.duplicate();
    const events = new QueueEvents('outbox', { connection: eventsConnection, prefix });
    await events.waitUntilReady();
    const outcome = new Promise<{ ok: boolean; detail: string }>((resolve) => {
      events.on('completed', ({ returnvalue }) => resolve({ ok: true, detail: JSON.stringify(returnvalue) }));
      events.on('failed', ({ failedReason }) => resolve({ ok: false, detail: failedReason }));
    });
    const worker = testWorker('outbox', spec, prefix);
    try {
      // As `hub start` schedules it: the first run comes at once.
      await scheduleInvoicingSweep(queues, { everyMs: 3_600_000 });
      const result = await outcome;
      expect(result).toEqual({ ok: true, detail: JSON.stringify({ delivered: 1 }) });
      expect(swept).toBe(1);
      expect(tenantSeen).toEqual([]);
    } finally {
      await worker.close();
      await events.close();
      await eventsConnection.quit();
    }
  });

  // One tenant-scoped hook that records what it is given, beside the invoicing hook, which takes platform events too.
  async function deliver(id: string, tenantId: string): Promise<{ result: unknown; seen: string[] }> {
    const seen: string[] = [];
    const ctx = {
      store,
      queues,
      domainEvents: [(e: DomainEvent) => void seen.push(`tenant ${e.id}`), createInvoicingHook({ store, now: () => new Date(), publicUrl: 'https://hub.test' })],
    } as unknown as WorkerContext;
    const event = { id, type: 'project.updated', at: new Date().toISOString(), tenantId, aggregate: { type: 'project', id: 'prj_1' }, actor: { kind: 'system', id: 't' }, data: {} };
    const result = await workerSpecs(ctx).outbox!.processor({ name: 'project.updated', data: event } as never, undefined);
    return { result, seen };
  }

  it('an event that lacks its tenant without saying it is platform-wide still goes to every hook', async () => {
    expect(await deliver('evt_0', '')).toEqual({ result: { delivered: 2 }, seen: ['tenant evt_0'] });
  });

  it('a tenant event still goes to every hook', async () => {
    expect(await deliver('evt_1', 'tn_a')).toEqual({ result: { delivered: 2 }, seen: ['tenant evt_1'] });
  });
});
