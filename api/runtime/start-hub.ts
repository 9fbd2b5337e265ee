import { serve, type ServerType } from '@hono/node-server';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Logger } from 'pino';
import { pendingAuditHook } from '../../core/audit-log/index.ts';
import { openStore, type Store } from '../../core/store/index.ts';
import { createAuthCache } from '../../core/tenancy/index.ts';
import { createVault } from '../../core/vault/index.ts';
import {
  connectRedis,
  createQueues,
  ensureRedis,
  redactUrl,
  registerQueueMetrics,
  startWorkers,
  workerSpecs,
  scheduleOutboxRelay,
  OUTBOX_COLLECTIONS,
  type HubQueues,
  type RunningWorkers,
} from '../../queues/index.ts';
import { createSyncEngine } from '../../queues/sync/index.ts';
import { escalationEventsHook, ruleNoticesHook, scheduleEscalationSweep } from '../../queues/escalations/index.ts';
import { jiraCommentReplies, probeReplyListener, scheduleProbeSweep } from '../../queues/probes/index.ts';
import { scheduleEnvelopeSweep } from '../../webhooks/index.ts';
import { createInvoicingHook, createNotifyInvoiceDistributor, createRazorpayPaymentHandler, scheduleInvoicingSweep } from '../../queues/invoicing/index.ts';
import { createWhatsAppWebSessions, type WhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import {
  bridgeWhatsAppWebSessions,
  createInboundMessageBus,
  createNotifyWebhookHandler,
  createWhatsAppWebRelay,
  localWhatsAppWebSends,
  recordWhatsAppWebLinks,
  routeWhatsAppWeb,
  scheduleNotifySweep,
  startWhatsAppWebRestore,
  type WhatsAppWebLinks,
  type WhatsAppWebSends,
} from '../../queues/notify/index.ts';
import type { Services } from '../app-env.ts';
import { loadConfig, processModeProblem, type HubConfig } from '../config/index.ts';
import { createApp } from '../create-app.ts';
import { createLogger } from '../logging/index.ts';
import { authChangesChannel, createRedisAuthChanges } from '../middleware/redis-auth-changes.ts';
import { lockDataDir } from './data-dir-lock.ts';

export type HubMode = 'all' | 'api' | 'worker';

export interface RunningHub {
  config: HubConfig;
  /** The API's base URL when this process serves HTTP. */
  url?: string;
  logger: Logger;
  stop(): Promise<void>;
}

/** A start-up failure the user can fix; printed as one line, without a stack trace. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/**
 * Starts the hub: `all` runs the API and every worker in one process (the embedded default);
 * `api` and `worker` are the scale-out halves and need MongoDB.
 */
export async function startHub(options: {
  mode: HubMode;
  env?: Record<string, string | undefined>;
  /** Where the one-time admin token notice goes. @default process.stdout */
  announce?: (line: string) => void;
  /** Opens the store the config names; the hub closes it on stop. @default openStore */
  openStore?: typeof openStore;
  /** Makes this process's WhatsApp Web sessions (workers only); the hub closes them on stop. @default createWhatsAppWebSessions */
  createWhatsAppWebSessions?: typeof createWhatsAppWebSessions;
}): Promise<RunningHub> {
  const {
    mode,
    env = process.env,
    announce = (l) => process.stdout.write(`${l}\n`),
    openStore: open = openStore,
    createWhatsAppWebSessions: createSessions = createWhatsAppWebSessions,
  } = options;
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new StartupError(loaded.error);
  const config = loaded.config;
  const modeProblem = processModeProblem(mode, config);
  if (modeProblem !== undefined) throw new StartupError(modeProblem);
  const logger = createLogger({ level: config.logLevel });
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        logger.warn({ err: { message: (err as Error).message } }, 'shutdown step failed');
      }
    }
    cleanups.length = 0;
  };

  try {
    if (config.embedded) {
      const lock = lockDataDir(config.dataDir);
      if (!lock.ok) throw new StartupError(lock.error);
      cleanups.push(lock.release);
    }

    let store: Store;
    try {
      store = await open({ mongodbUri: config.mongodbUri, dataDir: config.dataDir });
    } catch (err) {
      throw new StartupError(
        config.embedded
          ? `cannot open the embedded store under ${config.dataDir}: ${(err as Error).message}`
          : `cannot reach MongoDB at MONGODB_URI: ${(err as Error).message}`,
      );
    }
    cleanups.push(() => store.close());

    const redisResult = await ensureRedis({
      url: config.redisUrl,
      dataDir: config.dataDir,
      allowEmbedded: config.embedded && config.embeddedRedis === 'auto',
    });
    if (!redisResult.ok) throw new StartupError(redisResult.error);
    const endpoint = redisResult.endpoint;
    if (endpoint.stop) {
      logger.info({ redis: endpoint.url, dir: `${config.dataDir}/redis` }, 'started a private redis-server with AOF');
      cleanups.push(endpoint.stop);
    }
    const redis = connectRedis(endpoint.url);
    redis.on('error', (err) => logger.warn({ err: { message: err.message } }, 'redis connection error'));
    cleanups.push(async () => {
      await redis.quit().catch(() => redis.disconnect());
    });

    const queues: HubQueues = createQueues({ connection: redis, prefix: config.queuePrefix });
    cleanups.push(() => queues.close());
    const vault = createVault(config.masterKeys);
    const metrics = new Registry();
    collectDefaultMetrics({ register: metrics });
    registerQueueMetrics(metrics, queues);

    let workers: RunningWorkers | undefined;
    // What this process's API links WhatsApp Web through: its own sessions (one process), or links
    // that reach the process driving WhatsApp Web.
    let whatsappWeb: WhatsAppWebSessions | undefined;
    let whatsappWebLinks: WhatsAppWebLinks | undefined;
    if (mode !== 'api') {
      // Two-way sync: its hook follows domain events, its handler takes parsed webhooks.
      const sync = createSyncEngine({ store, vault, queues, logger, redis, allowPrivateUrls: config.allowPrivateUrls });
      cleanups.push(() => sync.close());
      // Notifications: people's replies reach the inbound-message listeners; WhatsApp Web sessions live here.
      const inboundMessages = createInboundMessageBus();
      inboundMessages.onInboundMessage(probeReplyListener({ store, queues, now: () => new Date() }));
      const notifyHandler = createNotifyWebhookHandler({ inbound: inboundMessages, logger });
      // Every session opened feeds people's messages and acks to notify, and records its link on the connection.
      const sessions = recordWhatsAppWebLinks({
        sessions: bridgeWhatsAppWebSessions({ sessions: createSessions({ dataDir: `${config.dataDir}/whatsapp-web`, logger }), store, handler: notifyHandler, logger, now: () => new Date() }),
        store,
        logger,
        now: () => new Date(),
      });
      cleanups.push(() => sessions.closeAll());
      let whatsappWebSends: WhatsAppWebSends;
      if (config.embedded) {
        whatsappWeb = sessions;
        // Sends check the connection and, with no session running, what it records of its link.
        whatsappWebSends = localWhatsAppWebSends({ sessions, store });
        // The one process drives WhatsApp Web: linked connections resume from their saved logins, in the background.
        const restore = startWhatsAppWebRestore({ sessions, store, logger });
        cleanups.push(() => restore.stop());
      } else {
        // Of several processes running sessions, only the holder of the relay's lease drives WhatsApp
        // Web: the others pass it their link requests and sends over Redis, as API-only processes
        // pass it theirs (see routeWhatsAppWeb).
        const route = routeWhatsAppWeb({
          sessions,
          store,
          redis,
          queuePrefix: config.queuePrefix,
          onError: (err) => logger.warn({ err: { message: err.message } }, 'whatsapp-web relay error'),
          // Taking the lease reopens the linked connections' sessions from their saved logins.
          restore: { logger },
          onOwnership: (change) => {
            if (change.owner) logger.info('whatsapp-web relay: this process now drives WhatsApp Web (links and sends)');
            else if (change.reason === 'closed') logger.info('whatsapp-web relay: this process no longer drives WhatsApp Web');
            else logger.warn({ reason: change.reason }, 'whatsapp-web relay: this process no longer drives WhatsApp Web and closed its sessions');
          },
        });
        cleanups.push(() => route.close());
        // Take the lease (when free) before the workers send, so a lone worker sends from its first job.
        let waited: NodeJS.Timeout | undefined;
        await Promise.race([route.ready, new Promise<void>((resolve) => (waited = setTimeout(resolve, 5000)))]);
        clearTimeout(waited);
        whatsappWebLinks = route.links;
        whatsappWebSends = route.sends;
      }
      workers = startWorkers({
        connection: redis,
        prefix: config.queuePrefix,
        logger,
        specs: workerSpecs({
          store,
          vault,
          queues,
          logger,
          now: () => new Date(),
          publicUrl: config.publicUrl,
          allowPrivateUrls: config.allowPrivateUrls,
          domainEvents: [sync.domainEventHook, escalationEventsHook({ store, queues, now: () => new Date() }), ruleNoticesHook({ store, queues, now: () => new Date(), publicUrl: config.publicUrl }), pendingAuditHook(store, OUTBOX_COLLECTIONS), createInvoicingHook({ store, now: () => new Date(), publicUrl: config.publicUrl, distributor: createNotifyInvoiceDistributor({ store, queues }) })],
          webhookHandlers: [sync.webhookHandler, jiraCommentReplies({ store, queues, now: () => new Date() }), createRazorpayPaymentHandler(), notifyHandler],
          syncEngine: sync,
          inboundMessages,
          notify: { whatsappWebSends },
        }),
      });
      cleanups.push(() => workers?.close());
      await scheduleEnvelopeSweep(queues);
      await scheduleOutboxRelay(queues);
      await sync.schedule();
      await scheduleProbeSweep(queues);
      await scheduleEscalationSweep(queues);
      await scheduleInvoicingSweep(queues);
      await scheduleNotifySweep(queues);
    }

    let url: string | undefined;
    if (mode !== 'worker') {
      // Without sessions of its own, the API reaches those of the worker process over Redis.
      if (whatsappWeb === undefined && whatsappWebLinks === undefined) {
        const relay = createWhatsAppWebRelay({
          publisher: redis,
          subscriber: redis.duplicate(),
          queuePrefix: config.queuePrefix,
          onError: (err) => logger.warn({ err: { message: err.message } }, 'whatsapp-web relay error'),
        });
        cleanups.push(() => relay.close());
        whatsappWebLinks = relay;
      }
      // Resolved API keys and tenants are kept per API process; over MongoDB each one announces its
      // writes to them on Redis and caches only while it hears the others. Workers neither resolve
      // keys nor write keys or tenants, so a worker-only process holds no cache and no subscriber.
      const authChanges = config.embedded
        ? undefined
        : createRedisAuthChanges({
            publisher: redis,
            subscriber: redis.duplicate(),
            channel: authChangesChannel(config.queuePrefix),
            onError: (err) => logger.warn({ err: { message: err.message } }, 'auth change channel error'),
          });
      const authCache = createAuthCache({ store, ...(authChanges ? { changes: authChanges } : {}) });
      cleanups.push(async () => {
        authCache.close();
        await authChanges?.close();
      });
      const services: Services = {
        config,
        store,
        vault,
        logger,
        metrics,
        now: () => new Date(),
        queues,
        authCache,
        ...(whatsappWeb ? { whatsappWeb } : {}),
        ...(whatsappWebLinks ? { whatsappWebLinks } : {}),
        readiness: [
          { name: 'store', check: () => store.ping() },
          { name: 'redis', check: async () => void (await redis.ping()) },
        ],
      };
      const app = createApp(services);
      const server = await listen(app.fetch, config);
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
      // Stop taking requests first, so in-flight ones finish before workers and stores close.
      cleanups.push(() => closeServer(server));
    }

    logger.info(
      { mode, url, store: store.kind, redis: redactUrl(endpoint.url), dataDir: config.embedded ? config.dataDir : undefined },
      'milestone hub started',
    );
    if (loaded.generated.adminToken) {
      announce(`Admin token (shown once; stored in ${config.dataDir}/secrets/admin.token): ${loaded.generated.adminToken}`);
    }

    return { config, url, logger, stop: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

function listen(fetch: (req: Request) => Response | Promise<Response>, config: HubConfig): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: config.port, hostname: config.host }, () => resolve(server));
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new StartupError(err.code === 'EADDRINUSE' ? `PORT ${config.port} is already in use; set PORT to a free port` : `cannot listen on ${config.host}:${config.port}: ${err.message}`));
    });
  });
}

function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open; idle ones can go now.
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
}
