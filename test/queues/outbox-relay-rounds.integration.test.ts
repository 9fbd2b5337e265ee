import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DomainContext } from '../../core/domain/index.ts';
import { createMilestone, milestonesCollection, updateMilestone } from '../../core/milestones/index.ts';
import { createProject, projectsCollection } from '../../core/projects/index.ts';
import { createNedbStore, createStore, type Store } from '../../core/store/index.ts';
import { OUTBOX_RELAY_JOB, relayOutbox, relayOutboxWhileBusy } from '../../queues/outbox-relay.ts';
import { outboxWorker } from '../../queues/workers/outbox-worker.ts';
import type { HubQueues } from '../../queues/index.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-outbox-rounds-${process.pid}-${Date.now().toString(36)}`;

describe('outbox relay rounds (real Redis)', () => {
  let redis: Redis;
  let queue: Queue;
  let store: Store;
  let tenant = 0;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue('outbox', { connection: redis, prefix });
  });

  beforeEach(async () => {
    await queue.obliterate({ force: true });
    store = createStore(createNedbStore({ dir: '', inMemory: true }));
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await redis.quit();
  });

  /** A project with `count` milestones, each with its pending `milestone.created` event. */
  async function seed(count: number): Promise<{ ctx: DomainContext; ids: string[] }> {
    tenant += 1;
    const ctx: DomainContext = { db: store.forTenant(`tn_rounds_${tenant}`), now: () => new Date(), actor: { kind: 'system', id: 'test' } };
    const project = await createProject(ctx, { name: 'P', client: { name: 'C', stateCode: '27' }, contractValue: 100_00 });
    if (!project.ok) throw new Error(project.error.message);
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const made = await createMilestone(ctx, { projectId: project.value._id, title: `M${i}` });
      if (!made.ok) throw new Error(made.error.message);
      ids.push(made.value._id);
    }
    return { ctx, ids };
  }

  const pendingEvents = async (): Promise<string[]> => {
    const docs = await store.maintenance(milestonesCollection).find({ 'outbox.0': { $exists: true } });
    return docs.flatMap((d) => d.outbox.map((e) => e.type));
  };
  const jobIds = async (): Promise<string[]> => (await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).map((j) => j.id!).sort();

  it('moves a page of documents with one add and keeps an event a writer appended between the add and the pull', async () => {
    const { ctx } = await seed(5);
    const relayed = new Set<string>();
    let adds = 0;
    const counting = Object.create(queue) as Queue;
    counting.addBulk = (jobs) => {
      adds += 1;
      return queue.addBulk(jobs);
    };
    let changedId: string | undefined;
    const moved = await relayOutbox({
      store,
      queue: counting,
      afterAdd: async (doc, events) => {
        for (const e of events) relayed.add(e.id);
        // A change lands on a document of this page after its events were queued.
        if (changedId === undefined && doc.collection === milestonesCollection.name) {
          changedId = doc._id;
          const changed = await updateMilestone(ctx, doc._id, { title: 'renamed meanwhile' });
          if (!changed.ok) throw new Error(changed.error.message);
        }
      },
    });
    expect(moved).toEqual({ events: 6, documents: 6 });
    // One add per page: the project's, then the five milestones'.
    expect(adds).toBe(2);
    expect(await jobIds()).toEqual([...relayed].sort());
    // Only the relayed events were pulled: the change made meanwhile waits for the next round.
    expect(await pendingEvents()).toEqual(['milestone.updated']);
    expect(await store.maintenance(projectsCollection).count({ 'outbox.0': { $exists: true } })).toBe(0);

    expect(await relayOutbox({ store, queue })).toEqual({ events: 1, documents: 1 });
    expect(await pendingEvents()).toEqual([]);
    expect(await jobIds()).toHaveLength(7);
  });

  it('keeps relaying while writers add events, then stops at the first empty round', async () => {
    const { ctx, ids } = await seed(3);
    let writes = 0;
    const result = await relayOutboxWhileBusy({
      store,
      queue,
      pauseMs: 1,
      afterAdd: async (doc) => {
        // A writer edits one milestone each time its events were queued, twice.
        if (writes >= 2 || doc._id !== ids[1]) return;
        writes += 1;
        const changed = await updateMilestone(ctx, ids[1]!, { title: `edit ${writes}` });
        if (!changed.ok) throw new Error(changed.error.message);
      },
    });
    // Round one: the project and three milestones; rounds two and three: one edit each; round four finds nothing.
    expect(result).toEqual({ events: 6, documents: 6, rounds: 4 });
    expect(await pendingEvents()).toEqual([]);
    expect(await jobIds()).toHaveLength(6);
    // Idle: one round, nothing moved.
    expect(await relayOutboxWhileBusy({ store, queue })).toEqual({ events: 0, documents: 0, rounds: 1 });
  });

  it('stops at its budget even while events keep coming', async () => {
    const { ctx, ids } = await seed(1);
    let writes = 0;
    const result = await relayOutboxWhileBusy({
      store,
      queue,
      budgetMs: 150,
      pauseMs: 40,
      afterAdd: async () => {
        writes += 1;
        const changed = await updateMilestone(ctx, ids[0]!, { title: `edit ${writes}` });
        if (!changed.ok) throw new Error(changed.error.message);
      },
    });
    // Every pause lasts at least 40 ms, so a 150 ms budget allows four rounds at most.
    expect(result.rounds).toBeGreaterThanOrEqual(1);
    expect(result.rounds).toBeLessThanOrEqual(4);
    // What the last round's writes added is still in the document, not lost.
    const pending = await pendingEvents();
    expect(pending.length).toBeGreaterThanOrEqual(1);
    expect(new Set(pending)).toEqual(new Set(['milestone.updated']));
  });

  it('runs one relay at a time per worker: a tick that finds one running joins it', async () => {
    await seed(2);
    const queues = { prefix, get: () => queue, all: () => [queue], close: async () => undefined } as unknown as HubQueues;
    const spec = outboxWorker({ store, queues, domainEvents: [] } as unknown as Parameters<typeof outboxWorker>[0]);
    const tick = { name: OUTBOX_RELAY_JOB, data: {} } as Job;
    const [first, second] = await Promise.all([spec.processor(tick), spec.processor(tick)]);
    expect(first).toMatchObject({ events: 3, documents: 3 });
    expect(second).toEqual({ events: 0, documents: 0, rounds: 0, joined: true });
    // Once it is done, the next tick relays again.
    expect(await spec.processor(tick)).toEqual({ events: 0, documents: 0, rounds: 1 });
    expect(await jobIds()).toHaveLength(3);
  });
});
