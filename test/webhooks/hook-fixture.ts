import { randomBytes } from 'node:crypto';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { connectionsCollection, WEBHOOK_SECRET_PURPOSE, webhookRoutesCollection, type ConnectionDoc } from '../../core/connections/index.ts';
import { newId, type Store } from '../../core/store/index.ts';
import { connectRedis, createQueues, createWorker, type HubQueues } from '../../queues/index.ts';
import { webhooksWorker } from '../../queues/workers/webhooks-worker.ts';
import {
  webhookEnvelopesCollection,
  type InboundWebhookHandler,
  type WebhookEnvelopeDoc,
} from '../../webhooks/index.ts';
import { dropQueues, queuePrefix, REDIS_URL } from '../helpers/test-queues.ts';
import { testApp } from '../helpers/test-services.ts';

export const PUBLIC_URL = 'https://hub.test';
export { REDIS_URL };

export interface SecretSpec {
  value: string;
  id?: string;
  notAfter?: Date;
}

export interface ConnectionSpec {
  connector?: string;
  config?: Record<string, unknown>;
  secrets?: SecretSpec[];
  status?: ConnectionDoc['status'];
  maxBodyBytes?: number;
  routeActive?: boolean;
}

export { dropPrefix, dropQueues, queuePrefix } from '../helpers/test-queues.ts';

/**
 * An app over an in-memory store (or the given one) and real Redis queues under a fresh prefix, with helpers to
 * create connections the way the connections API stores them and to post webhooks.
 */
export function hookFixture(file: string, options: { queues?: HubQueues | null; env?: Record<string, string>; store?: Store } = {}) {
  const redis: Redis | undefined = options.queues === undefined ? connectRedis(REDIS_URL) : undefined;
  const queues = options.queues === undefined ? createQueues({ connection: redis!, prefix: queuePrefix(file) }) : (options.queues ?? undefined);
  const fixture = testApp({ ...(queues ? { queues } : {}), ...(options.store ? { store: options.store } : {}), env: { HUB_PUBLIC_URL: PUBLIC_URL, ...(options.env ?? {}) } });
  const { app, services } = fixture;

  async function connection(tenantId: string, spec: ConnectionSpec = {}): Promise<string> {
    const id = newId('con');
    const secrets = (spec.secrets ?? []).map((s, i) => ({
      id: s.id ?? `sec_${i + 1}`,
      value: services.vault.encrypt(s.value, { tenantId, purpose: WEBHOOK_SECRET_PURPOSE }),
      ...(s.notAfter ? { notAfter: s.notAfter } : {}),
      createdAt: new Date(),
    }));
    await services.store.forTenant(tenantId).collection(connectionsCollection).insert({
      _id: id,
      connector: spec.connector ?? 'webhook',
      name: `test ${id}`,
      config: spec.config ?? {},
      webhook: { secrets, ...(spec.maxBodyBytes !== undefined ? { maxBodyBytes: spec.maxBodyBytes } : {}) },
      status: spec.status ?? 'active',
    });
    await services.store.platform(webhookRoutesCollection).insert({ _id: id, tenant: tenantId, active: spec.routeActive ?? true });
    return id;
  }

  function post(connectionId: string, body: string | Uint8Array, headers: Record<string, string> = {}, query = ''): Promise<Response> {
    return Promise.resolve(
      app.request(`/v1/hooks/${connectionId}${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }),
    );
  }

  function envelopes(tenantId: string) {
    return services.store.forTenant(tenantId).collection(webhookEnvelopesCollection);
  }

  async function envelope(tenantId: string, id: string): Promise<WebhookEnvelopeDoc> {
    const found = await envelopes(tenantId).findById(id);
    if (!found) throw new Error(`no envelope ${id}`);
    return found;
  }

  async function jobIds(): Promise<string[]> {
    if (!queues) return [];
    const jobs = await queues.get('webhooks').getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized', 'paused']);
    return jobs.map((j) => j.id ?? '').sort();
  }

  const workers: Worker[] = [];

  /** A real BullMQ worker running the hub's `webhooks` processor over this fixture's store and queues. */
  function worker(spec: {
    handlers?: InboundWebhookHandler[];
    now?: () => Date;
    lockDuration?: number;
    stalledInterval?: number;
  } = {}): Worker {
    if (!queues) throw new Error('this fixture has no queues');
    const { processor, concurrency } = webhooksWorker({
      store: services.store,
      vault: services.vault,
      queues,
      logger: services.logger,
      now: spec.now ?? (() => new Date()),
      publicUrl: PUBLIC_URL,
      allowPrivateUrls: true,
      ...(spec.handlers ? { webhookHandlers: spec.handlers } : {}),
    });
    const w = createWorker('webhooks', processor, {
      // Options, not a client: the worker then owns its connections and closes them.
      connection: { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null },
      prefix: queues.prefix,
      concurrency: concurrency ?? 1,
      ...(spec.lockDuration ? { lockDuration: spec.lockDuration } : {}),
      // The stall check interval is shared through Redis by every worker of the queue, so every
      // test worker keeps it short; otherwise one worker's default 30 s would delay the others'.
      stalledInterval: spec.stalledInterval ?? 300,
    });
    w.on('error', () => undefined);
    workers.push(w);
    return w;
  }

  async function close(): Promise<void> {
    await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
    if (queues && options.queues === undefined) await dropQueues(queues);
    if (redis) await redis.quit().catch(() => redis.disconnect());
  }

  return { ...fixture, queues, connection, post, envelopes, envelope, jobIds, worker, close };
}

/** A random secret in the shape most providers hand out. */
export function randomSecret(prefix = ''): string {
  return `${prefix}${randomBytes(24).toString('base64')}`;
}

/** The problem body without the parts that differ per request, to compare answers. */
export async function problemShape(res: Response): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  const { requestId: _r, instance: _i, ...rest } = body;
  return rest;
}

/** Polls `check` until it returns a value other than undefined or false; fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
