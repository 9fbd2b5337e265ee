import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { connectorRegistry, createOutboundHttp, type ConnectorRegistry, type OutboundHttp } from '../../connectors/index.ts';
import type { Store } from '../../core/store/index.ts';
import { getTenant } from '../../core/tenancy/index.ts';
import type { Vault } from '../../core/vault/index.ts';
import { createCompileCache } from '../../mappings/index.ts';
import type { InboundWebhookHandler } from '../../webhooks/index.ts';
import type { HubQueues } from '../create-queues.ts';
import type { DomainEventHook } from '../domain-event-hook.ts';
import type { WorkerSpec } from '../start-workers.ts';
import { createConnectionHandles } from './connection-handles.ts';
import { HUB_OBJECTS } from './hub-objects.ts';
import { applyJob, pollJob } from './inbound-jobs.ts';
import { relayMappingEvents, resyncAfterActivation } from './mapping-events.ts';
import { reconcilePollingSchedulers, scheduleSync } from './polling-schedulers.ts';
import { pushHubRecord } from './push-hub-record.ts';
import { createRunCounter } from './run-counter.ts';
import { SYNC_IN_JOBS, SYNC_OUT_JOBS, type ResyncJobData } from './sync-jobs.ts';
import { createSyncOutHook } from './sync-out-hook.ts';
import type { SyncOptions, SyncRuntime, SyncSeams } from './sync-runtime.ts';
import { createSyncWebhookHandler } from './sync-webhook-handler.ts';
import { createSweepLock } from './sweep-lock.ts';
import { createTokenBucket } from './token-bucket.ts';

/** What the engine is built from: the process's store, vault, queues and logger. */
export interface SyncEngineDeps {
  store: Store;
  vault: Vault;
  queues: HubQueues;
  logger: Logger;
  now?: () => Date;
  /** Passed to the guarded outbound HTTP when the engine builds its own. */
  allowPrivateUrls?: boolean;
  /** Where the token buckets live; the `sync-out` queue's connection when absent. */
  redis?: Redis;
  /** @default the shipped registry */
  connectors?: Pick<ConnectorRegistry, 'get'>;
  /** One per process; built (and closed with the engine) when absent. */
  outbound?: OutboundHttp;
  options?: SyncOptions;
  seams?: SyncSeams;
}

/** The two-way sync engine of one process. */
export interface SyncEngine {
  readonly runtime: SyncRuntime;
  /** Pass in `WorkerContext.domainEvents`: turns hub changes into pushes. */
  readonly domainEventHook: DomainEventHook;
  /** Pass in `WorkerContext.webhookHandlers`: turns webhooks into inbound applies. */
  readonly webhookHandler: InboundWebhookHandler;
  /** The `sync-out` processor: push, mapping-events, resync. */
  syncOutWorker(): WorkerSpec;
  /** The `sync-in` processor: apply, poll, schedule-polls. */
  syncInWorker(): WorkerSpec;
  /** Upserts the engine's job schedulers and the polling schedulers. Call at start. */
  schedule(): Promise<void>;
  /** Writes buffered run counts now. */
  flushRuns(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULTS: SyncRuntime['options'] = {
  pollEveryMs: 60_000,
  maxPagesPerPoll: 20,
  pageSize: 100,
  scheduleEveryMs: 60_000,
  mappingEventsEveryMs: 1000,
  runWindowMs: 60_000,
  attempts: 8,
  backoffMs: 1000,
  maxQueuePauseMs: 1000,
  defaultRetryAfterMs: 5000,
  outConcurrency: 16,
  inConcurrency: 8,
};

/**
 * Builds the sync engine: connection contexts shared per connection, the Redis token buckets,
 * the compile cache, buffered run counts, the domain event hook, the webhook handler and the two
 * queue processors. Options are checked here, so a bad setting fails at start.
 * @example
 * const sync = createSyncEngine({ store, vault, queues, logger, allowPrivateUrls });
 * workerSpecs({ ...ctx, domainEvents: [sync.domainEventHook], webhookHandlers: [sync.webhookHandler], syncEngine: sync });
 */
export function createSyncEngine(deps: SyncEngineDeps): SyncEngine {
  const options = { ...DEFAULTS, ...(deps.options ?? {}) };
  for (const [name, value] of Object.entries(options)) {
    if (name === 'bucketFallback') continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) throw new RangeError(`createSyncEngine: ${name} must be a positive number, got ${String(value)}`);
  }
  if (options.pollEveryMs < 1000) throw new RangeError('createSyncEngine: pollEveryMs must be at least 1000');
  const now = deps.now ?? (() => new Date());
  const ownOutbound = deps.outbound === undefined;
  const outbound = deps.outbound ?? createOutboundHttp({ allowPrivate: deps.allowPrivateUrls ?? false });
  const connectors = deps.connectors ?? connectorRegistry;
  // The queue's own ioredis connection serves the bucket scripts and locks unless the caller gives one.
  const redis = async (): Promise<Redis> => deps.redis ?? ((await deps.queues.get('sync-out').client) as unknown as Redis);
  const zones = new Map<string, { zone: string; until: number }>();
  const runs = createRunCounter({ store: deps.store, now });
  const rt: SyncRuntime = {
    store: deps.store,
    queues: deps.queues,
    logger: deps.logger,
    now,
    connectors,
    handles: createConnectionHandles({ vault: deps.vault, connectors, outbound, logger: deps.logger, now, ...(options.bucketFallback === undefined ? {} : { bucketFallback: options.bucketFallback }) }),
    bucket: createTokenBucket({ client: redis, prefix: deps.queues.prefix }),
    sweeps: createSweepLock({ client: redis, prefix: deps.queues.prefix }),
    compile: createCompileCache({ max: 500 }),
    hubObjects: HUB_OBJECTS,
    runs,
    options,
    seams: deps.seams ?? {},
    async timeZoneOf(tenantId) {
      const hit = zones.get(tenantId);
      if (hit !== undefined && hit.until > Date.now()) return hit.zone;
      const zone = (await getTenant(deps.store, tenantId))?.timeZone ?? 'Asia/Kolkata';
      zones.set(tenantId, { zone, until: Date.now() + 60_000 });
      return zone;
    },
  };
  return {
    runtime: rt,
    domainEventHook: createSyncOutHook(rt),
    webhookHandler: createSyncWebhookHandler(rt),
    syncOutWorker: () => ({
      concurrency: options.outConcurrency,
      async processor(job: Job, token?: string) {
        switch (job.name) {
          case SYNC_OUT_JOBS.push:
            return pushHubRecord(rt, job, token);
          case SYNC_OUT_JOBS.mappingEvents:
            return relayMappingEvents(rt);
          case SYNC_OUT_JOBS.resync:
            return resyncAfterActivation(rt, job.data as ResyncJobData);
          default:
            throw new Error(`sync-out: unknown job ${job.name}`);
        }
      },
    }),
    syncInWorker: () => ({
      concurrency: options.inConcurrency,
      async processor(job: Job, token?: string) {
        switch (job.name) {
          case SYNC_IN_JOBS.apply:
            return applyJob(rt, job, token);
          case SYNC_IN_JOBS.poll:
            return pollJob(rt, job, token);
          case SYNC_IN_JOBS.schedulePolls:
            return reconcilePollingSchedulers(rt);
          default:
            throw new Error(`sync-in: unknown job ${job.name}`);
        }
      },
    }),
    schedule: () => scheduleSync(rt),
    flushRuns: () => runs.flush(),
    async close() {
      await runs.close();
      rt.handles.close();
      if (ownOutbound) outbound.close();
    },
  };
}

