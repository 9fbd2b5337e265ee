import type { Logger } from 'pino';
import type { ConnectorRegistry } from '../../connectors/index.ts';
import type { Store } from '../../core/store/index.ts';
import type { BucketParams } from '../../core/sync/index.ts';
import type { CompileCache } from '../../mappings/index.ts';
import type { HubQueues } from '../create-queues.ts';
import type { ConnectionHandles } from './connection-handles.ts';
import type { HubObjectAdapter } from './hub-objects.ts';
import type { RunCounter } from './run-counter.ts';
import type { SweepLock } from './sweep-lock.ts';
import type { TokenBucket } from './token-bucket.ts';

/** Tunables of the sync engine; every one has a default. */
export interface SyncOptions {
  /** How often each polled remote object is swept. @default 60000 */
  pollEveryMs?: number;
  /** Pages one poll job reads before it lets other work run; the next sweep continues from the cursor. @default 20 */
  maxPagesPerPoll?: number;
  /** Records asked for per pulled page. @default 100 */
  pageSize?: number;
  /** How often the scheduler set is reconciled with the mappings. @default 60000 */
  scheduleEveryMs?: number;
  /** How often mapping activations are picked up. @default 1000 */
  mappingEventsEveryMs?: number;
  /** The window an outbound or webhook run covers. @default 60000 */
  runWindowMs?: number;
  /** Attempts of a sync job before it goes to dead letters. @default 8 */
  attempts?: number;
  /** First backoff delay; each retry doubles it, with up to 50% jitter. @default 1000 */
  backoffMs?: number;
  /** The longest a vendor 429 pauses the whole queue; the connection's own jobs wait out the full Retry-After. @default 1000 */
  maxQueuePauseMs?: number;
  /** When a 429 carries no Retry-After. @default 5000 */
  defaultRetryAfterMs?: number;
  /** The bucket of connectors that publish no connection-wide quota. @default DEFAULT_BUCKET */
  bucketFallback?: BucketParams;
  /** `sync-out` worker concurrency. @default 16 */
  outConcurrency?: number;
  /** `sync-in` worker concurrency. @default 8 */
  inConcurrency?: number;
}

/** Test seams: called at points where a real process could die. */
export interface SyncSeams {
  /** After the vendor accepted a push and before the link records it. */
  afterPush?: (info: { mappingId: string; hubId: string; remoteId: string; op: string }) => Promise<void> | void;
}

/** Everything sync work needs, built once per process by `createSyncEngine`. */
export interface SyncRuntime {
  store: Store;
  queues: HubQueues;
  logger: Logger;
  now: () => Date;
  connectors: Pick<ConnectorRegistry, 'get'>;
  handles: ConnectionHandles;
  bucket: TokenBucket;
  sweeps: SweepLock;
  compile: CompileCache;
  hubObjects: Readonly<Record<string, HubObjectAdapter>>;
  runs: RunCounter;
  options: Required<Omit<SyncOptions, 'bucketFallback'>> & { bucketFallback?: BucketParams };
  seams: SyncSeams;
  timeZoneOf(tenantId: string): Promise<string>;
}
