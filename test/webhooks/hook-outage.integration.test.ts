import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../core/store/index.ts';
import { connectRedis, createQueues, type HubQueues } from '../../queues/index.ts';
import {
  createWebhookIntake,
  createWebhookSourceResolver,
  scheduleEnvelopeSweep,
  SWEEP_JOB,
  SWEEP_SCHEDULER_ID,
  sweepEnvelopes,
  webhookEnvelopesCollection,
  type WebhookIntake,
} from '../../webhooks/index.ts';
import { signStandardWebhook } from '../../webhooks/verifiers/index.ts';
import { dropPrefix, hookFixture, PUBLIC_URL, queuePrefix, randomSecret, waitFor } from './hook-fixture.ts';

const fx = hookFixture('hook-outage');
const secret = randomSecret('whsec_');
let tenantId = '';
let connectionId = '';
let broken: Redis;
let deadQueues: HubQueues;

/** An intake over the fixture's store whose queues are `queues`, with a short enqueue timeout. */
function intakeWith(queues: HubQueues | undefined, store: Store = fx.services.store): WebhookIntake {
  return createWebhookIntake({
    store,
    queues,
    resolveSource: createWebhookSourceResolver({ store, vault: fx.services.vault }),
    publicUrl: PUBLIC_URL,
    metrics: fx.services.metrics,
    logger: fx.services.logger,
    enqueueTimeoutMs: 300,
  });
}

const post = (id: string, body = JSON.stringify({ id })) => fx.post(connectionId, body, signStandardWebhook({ secret, id, timestamp: new Date(), body }));

beforeAll(async () => {
  tenantId = (await fx.tenant('outage')).id;
  connectionId = await fx.connection(tenantId, { config: { scheme: 'standard-webhooks' }, secrets: [{ value: secret }] });
  // Nothing listens on port 1: ioredis keeps reconnecting and BullMQ's commands wait, as when Redis is down.
  broken = connectRedis('redis://127.0.0.1:1', { retryStrategy: () => 200 });
  broken.on('error', () => undefined);
  deadQueues = createQueues({ connection: broken, prefix: queuePrefix('hook-outage-dead') });
  for (const q of deadQueues.all()) q.on('error', () => undefined);
});
afterAll(async () => {
  fx.services.webhookIntake = undefined;
  await deadQueues.close().catch(() => undefined);
  broken.disconnect();
  await fx.close();
});

describe('Redis unavailable', () => {
  it('answers 503 and keeps the envelope; the provider retry gets it queued once', async () => {
    fx.services.webhookIntake = intakeWith(deadQueues);
    const down = await post('msg_outage_1');
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toBe('application/problem+json');
    expect(down.headers.get('retry-after')).toBeTruthy();
    const [stored] = await fx.envelopes(tenantId).find({ eventKey: 'msg_outage_1' });
    expect(stored).toMatchObject({ status: 'received' });
    expect(await fx.jobIds()).not.toContain(stored!._id);

    // A retry while still down is refused again: it was never acknowledged.
    expect((await post('msg_outage_1')).status).toBe(503);

    fx.services.webhookIntake = intakeWith(fx.queues);
    const retry = await post('msg_outage_1');
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ duplicate: true });
    expect((await fx.jobIds()).filter((id) => id === stored!._id)).toHaveLength(1);
    // Further retries are duplicates too, and BullMQ keeps the one job.
    expect((await post('msg_outage_1')).status).toBe(200);
    expect((await fx.jobIds()).filter((id) => id === stored!._id)).toHaveLength(1);
  });

  it('answers 503 when the Redis connection is closed', async () => {
    const closing = connectRedis('redis://127.0.0.1:6379');
    closing.on('error', () => undefined);
    const prefix = queuePrefix('hook-outage-closed');
    const queues = createQueues({ connection: closing, prefix });
    for (const q of queues.all()) q.on('error', () => undefined);
    await queues.get('webhooks').waitUntilReady();
    closing.disconnect();
    fx.services.webhookIntake = intakeWith(queues);
    expect((await post('msg_closed')).status).toBe(503);
    expect(await fx.envelopes(tenantId).count({ eventKey: 'msg_closed', status: 'received' })).toBe(1);
    await queues.close().catch(() => undefined);
    await dropPrefix(prefix);
  });

  it('lets the sweeper queue envelopes nobody retried', async () => {
    fx.services.webhookIntake = intakeWith(deadQueues);
    expect((await post('msg_sweep_1')).status).toBe(503);
    expect((await post('msg_sweep_2')).status).toBe(503);
    const pending = await fx.envelopes(tenantId).find({ eventKey: { $in: ['msg_sweep_1', 'msg_sweep_2', 'msg_closed'] } });

    const soon = await sweepEnvelopes({ store: fx.services.store, queues: fx.queues!, olderThanSeconds: 60 });
    expect(soon.enqueued).toBe(0);
    const later = await sweepEnvelopes({ store: fx.services.store, queues: fx.queues!, now: () => new Date(Date.now() + 120_000) });
    expect(later.enqueued).toBe(3);
    const jobs = await fx.jobIds();
    for (const e of pending) expect(jobs).toContain(e._id);
    // Looked at, so the next sweeps leave them alone for a while.
    const again = await sweepEnvelopes({ store: fx.services.store, queues: fx.queues!, now: () => new Date(Date.now() + 120_000) });
    expect(again.enqueued).toBe(0);
  });

  it('answers 503 when the envelope cannot be stored, and stores nothing half-way', async () => {
    const real = fx.services.store;
    const failing: Store = {
      ...real,
      forTenant(id) {
        const scope = real.forTenant(id);
        return {
          tenantId: id,
          collection(def) {
            const col = scope.collection(def);
            if (def.name !== webhookEnvelopesCollection.name) return col;
            const full = () => Promise.reject(new Error('disk full'));
            return { ...col, insert: full, insertMany: full };
          },
        };
      },
    };
    fx.services.webhookIntake = intakeWith(fx.queues, failing);
    const before = await fx.jobIds();
    expect((await post('msg_store_down')).status).toBe(503);
    expect(await fx.envelopes(tenantId).count({ eventKey: 'msg_store_down' })).toBe(0);
    expect(await fx.jobIds()).toEqual(before);
    // The provider's retry, once the store is back, is a first delivery.
    fx.services.webhookIntake = intakeWith(fx.queues);
    expect((await post('msg_store_down')).status).toBe(202);
  });

  it('processes every event the outage touched exactly once, once a worker runs', async () => {
    const worker = fx.worker();
    const all = await waitFor(async () => {
      const docs = await fx.envelopes(tenantId).find({});
      return docs.every((d) => d.status !== 'received') && docs;
    });
    await worker.close();
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const e of all) expect(e).toMatchObject({ status: 'ignored', attempts: 1, outcome: { reason: 'no handler' } });
  });
});

describe('the sweep scheduler', () => {
  it('is upserted on the webhooks queue and its jobs run the sweep in the worker', async () => {
    const queue = fx.queues!.get('webhooks');
    await scheduleEnvelopeSweep(fx.queues!, { everyMs: 60_000 });
    await scheduleEnvelopeSweep(fx.queues!, { everyMs: 60_000 });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual([SWEEP_SCHEDULER_ID]);
    await queue.removeJobScheduler(SWEEP_SCHEDULER_ID);

    fx.services.webhookIntake = intakeWith(deadQueues);
    expect((await post('msg_sched')).status).toBe(503);
    // A worker whose clock runs two minutes ahead sees the envelope as overdue.
    const ahead = fx.worker({ now: () => new Date(Date.now() + 120_000) });
    const job = await queue.add(SWEEP_JOB, {});
    const result = await waitFor(async () => ((await queue.getJob(job.id!))?.returnvalue as { enqueued: number } | null) ?? undefined);
    expect(result.enqueued).toBe(1);
    const [e] = await fx.envelopes(tenantId).find({ eventKey: 'msg_sched' });
    await waitFor(async () => (await fx.envelope(tenantId, e!._id)).status === 'ignored');
    await ahead.close();
  });
});

