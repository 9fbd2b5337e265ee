import { randomUUID } from 'node:crypto';
import type { Worker } from 'bullmq';
import { expect } from 'vitest';
import { connectorRegistry, createConnectorRegistry, type ConnectorRegistry } from '../../connectors/index.ts';
import { quickbooksConnector } from '../../connectors/quickbooks/index.ts';
import { salesforceConnector } from '../../connectors/salesforce/index.ts';
import { connectRedis, createQueues, scheduleOutboxRelay, workerSpecs, type HubQueues, type WorkerContext } from '../../queues/index.ts';
import { createSyncEngine, type SyncEngine, type SyncOptions, type SyncSeams } from '../../queues/sync/index.ts';
import { testApp } from '../helpers/test-services.ts';
import { expectStatus, waitFor as pollUntil } from '../helpers/expect-and-wait.ts';
import { testWorker } from '../helpers/test-worker.ts';
import { dropQueues, REDIS_URL, sweepPrefix } from '../helpers/test-queues.ts';

export { expectStatus };

export { REDIS_URL };
export const PUBLIC_URL = 'https://hub.test';

/** Every shipped connector plus Salesforce and QuickBooks (registered here when the registry does not list them yet). */
export function syncRegistry(): ConnectorRegistry {
  const extra = [salesforceConnector, quickbooksConnector].filter((c) => connectorRegistry.get(c.id) === undefined);
  return createConnectorRegistry([...connectorRegistry.list(), ...extra]);
}

/** Polls `check` until it returns something other than undefined, null or false; fails after `timeoutMs`. */
export function waitFor<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  return pollUntil(check, timeoutMs, what, 50);
}

/** Lets the queues settle: no job waiting, delayed, prioritized or active on the given queues, twice in a row. */
export async function drained(queues: HubQueues, names: Array<'outbox' | 'sync-out' | 'sync-in' | 'webhooks'> = ['outbox', 'sync-out', 'sync-in', 'webhooks'], timeoutMs = 20_000): Promise<void> {
  let quiet = 0;
  await waitFor(
    async () => {
      let busy = 0;
      for (const name of names) {
        const counts = await queues.get(name).getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        // The schedulers' next runs sit in delayed; anything else is work.
        const scheduled = (await queues.get(name).getJobSchedulersCount()) || 0;
        busy += counts.waiting! + counts.active! + counts.prioritized! + Math.max(0, counts.delayed! - scheduled);
      }
      quiet = busy === 0 ? quiet + 1 : 0;
      return quiet >= 3;
    },
    timeoutMs,
    'queues drained',
  );
}

/**
 * An app over an in-memory store, real Redis queues under a fresh prefix, and the sync engine
 * with every worker (outbox relay, webhooks, sync-out, sync-in) started the way `hub start` does.
 */
export async function syncFixture(file: string, options: { sync?: SyncOptions; seams?: SyncSeams; relayEveryMs?: number } = {}) {
  const redis = connectRedis(REDIS_URL);
  const prefix = `t-sync-${file}-${randomUUID().slice(0, 8)}`;
  const queues = createQueues({ connection: redis, prefix });
  const connectors = syncRegistry();
  const fixture = testApp({ queues, connectors, env: { HUB_PUBLIC_URL: PUBLIC_URL } });
  const { services } = fixture;
  const engine: SyncEngine = createSyncEngine({
    store: services.store,
    vault: services.vault,
    queues,
    logger: services.logger,
    allowPrivateUrls: true,
    connectors,
    options: { backoffMs: 200, mappingEventsEveryMs: 200, pollEveryMs: 3_600_000, scheduleEveryMs: 3_600_000, ...(options.sync ?? {}) },
    ...(options.seams === undefined ? {} : { seams: options.seams }),
  });
  const ctx: WorkerContext = {
    store: services.store,
    vault: services.vault,
    queues,
    logger: services.logger,
    now: () => new Date(),
    publicUrl: PUBLIC_URL,
    allowPrivateUrls: true,
    domainEvents: [engine.domainEventHook],
    webhookHandlers: [engine.webhookHandler],
    connectors,
    syncEngine: engine,
  };
  const workers: Worker[] = [];

  /** Starts one worker per hub queue the way start-hub does, with short stall checks for tests. */
  function startWorkers(only?: string[]): Worker[] {
    const started: Worker[] = [];
    for (const [name, spec] of Object.entries(workerSpecs(ctx))) {
      if (spec === undefined || (only !== undefined && !only.includes(name))) continue;
      const w = testWorker(name, spec, prefix, { lockDuration: 5000 });
      workers.push(w);
      started.push(w);
    }
    return started;
  }

  await scheduleOutboxRelay(queues, { everyMs: options.relayEveryMs ?? 100 });
  await engine.schedule();

  const tenant = async (slug: string) => {
    const t = await fixture.tenant(`${slug}-${randomUUID().slice(0, 6)}`);
    const call = (method: string, path: string, body?: unknown) => fixture.call(method, path, { key: t.key, ...(body === undefined ? {} : { body }) });
    return { ...t, call, db: services.store.forTenant(t.id) };
  };

  async function close(): Promise<void> {
    await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
    await engine.close();
    await dropQueues(queues);
    await sweepPrefix(redis, prefix);
    await redis.quit().catch(() => redis.disconnect());
  }

  return { ...fixture, queues, engine, ctx, prefix, connectors, startWorkers, workers, tenant, close };
}

export type SyncFixture = Awaited<ReturnType<typeof syncFixture>>;
export type FixtureTenant = Awaited<ReturnType<SyncFixture['tenant']>>;

/** A project through the API; returns its id. */
export async function createProject(t: FixtureTenant, body: Record<string, unknown> = {}): Promise<string> {
  const p = await expectStatus<{ id: string }>(t.call('POST', '/v1/projects', { name: 'Tower B', client: { name: 'Acme Infra', stateCode: '27' }, contractValue: 50_00_000_00, ...body }), 201);
  return p.id;
}

/** A milestone through the API. */
export async function createMilestone(t: FixtureTenant, projectId: string, body: Record<string, unknown> = {}): Promise<{ id: string; title: string; status: string; version: number }> {
  return expectStatus(t.call('POST', '/v1/milestones', { projectId, kind: 'milestone', title: 'Slab 3 casting', ...body }), 201);
}
