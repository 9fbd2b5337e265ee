import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainContext, DomainEvent } from '../../core/domain/index.ts';
import { createMilestone, milestonesCollection, transitionMilestone } from '../../core/milestones/index.ts';
import { createProject, projectsCollection } from '../../core/projects/index.ts';
import { createNedbStore, createStore, type Store } from '../../core/store/index.ts';
import { OUTBOX_RELAY_JOB, relayOutbox } from '../../queues/outbox-relay.ts';
import { outboxWorker } from '../../queues/workers/outbox-worker.ts';
import { createWorker, type HubQueues } from '../../queues/index.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-outbox-${process.pid}-${Date.now().toString(36)}`;

describe('outbox relay (real Redis)', () => {
  let redis: Redis;
  let queue: Queue;
  let store: Store;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue('outbox', { connection: redis, prefix });
    store = createStore(createNedbStore({ dir: '', inMemory: true }));
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await redis.quit();
  });

  async function seed(tenantId: string): Promise<{ ctx: DomainContext; milestoneId: string }> {
    const ctx: DomainContext = { db: store.forTenant(tenantId), now: () => new Date(), actor: { kind: 'system', id: 'test' } };
    const project = await createProject(ctx, { name: 'P', client: { name: 'C', stateCode: '27' }, contractValue: 100_00 });
    if (!project.ok) throw new Error(project.error.message);
    const milestone = await createMilestone(ctx, { projectId: project.value._id, title: 'M' });
    if (!milestone.ok) throw new Error(milestone.error.message);
    const moved = await transitionMilestone(ctx, milestone.value._id, { to: 'in_progress' });
    if (!moved.ok) throw new Error(moved.error.message);
    return { ctx, milestoneId: milestone.value._id };
  }

  it('writes each change and its events in one update, then relays them once even after a crash between add and pull', async () => {
    const { milestoneId } = await seed('tn_relay');
    const pending = await store.maintenance(milestonesCollection).findById(milestoneId);
    const events = pending!.outbox;
    expect(events.map((e) => e.type)).toEqual(['milestone.created', 'milestone.transitioned', 'milestone.started']);
    expect(events[0]).toMatchObject({ tenantId: 'tn_relay', aggregate: { type: 'milestone', id: milestoneId }, actor: { kind: 'system', id: 'test' } });
    expect(events.every((e) => e.id.startsWith('evt_'))).toBe(true);

    // The process dies after adding the first document's jobs (the project's) and before pulling them.
    await expect(
      relayOutbox({
        store,
        queue,
        afterAdd: () => {
          throw new Error('crash');
        },
      }),
    ).rejects.toThrow('crash');
    const afterCrash = await queue.getJobCountByTypes('waiting', 'delayed', 'active', 'completed', 'failed');
    expect(afterCrash).toBe(1);
    expect((await store.maintenance(milestonesCollection).findById(milestoneId))!.outbox).toHaveLength(3);

    // The restart sends them again; job ids make that harmless.
    const relayed = await relayOutbox({ store, queue });
    expect(relayed).toEqual({ events: 4, documents: 2 });
    expect((await store.maintenance(milestonesCollection).findById(milestoneId))!.outbox).toEqual([]);
    expect((await store.maintenance(projectsCollection).find({ 'outbox.0': { $exists: true } }))).toEqual([]);
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    const ids = jobs.map((j) => j.id).sort();
    expect(new Set(ids).size).toBe(ids.length);
    for (const event of events) expect(ids).toContain(event.id);
    expect(ids).toHaveLength(4);
    const job = jobs.find((j) => j.id === events[1]!.id)!;
    expect(job.name).toBe('milestone.transitioned');
    expect(job.data).toMatchObject({ type: 'milestone.transitioned', data: { from: 'planned', to: 'in_progress' } });
    // Nothing left: a second run moves nothing.
    expect(await relayOutbox({ store, queue })).toEqual({ events: 0, documents: 0 });
  });

  it('delivers relayed events to the domain event hooks through the outbox worker', async () => {
    await queue.obliterate({ force: true });
    const seen: DomainEvent[] = [];
    const queues = { prefix, get: () => queue, all: () => [queue], close: async () => undefined } as unknown as HubQueues;
    const spec = outboxWorker({ store, queues, domainEvents: [(e: DomainEvent) => void seen.push(e)] } as unknown as Parameters<typeof outboxWorker>[0]);
    const worker = createWorker('outbox', spec.processor, { connection: redis.duplicate(), prefix, concurrency: 1 });
    const events = new QueueEvents('outbox', { connection: redis.duplicate(), prefix });
    try {
      await events.waitUntilReady();
      const { milestoneId } = await seed('tn_hooks');
      const relayJob = await queue.add(OUTBOX_RELAY_JOB, {});
      await relayJob.waitUntilFinished(events, 10_000);
      const deadline = Date.now() + 10_000;
      while (seen.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(seen.map((e) => e.type).sort()).toEqual(['milestone.created', 'milestone.started', 'milestone.transitioned', 'project.created']);
      const created = seen.find((e) => e.type === 'milestone.created')!;
      expect(created.at).toBeInstanceOf(Date);
      expect(created.aggregate).toEqual({ type: 'milestone', id: milestoneId });
    } finally {
      await worker.close();
      await events.close();
    }
  });
});
