import type { Redis } from 'ioredis';
import type { WhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import type { Store } from '../../core/store/index.ts';
import { localWhatsAppWebLinks, type WhatsAppWebLinks } from './whatsapp-web-links.ts';
import { createWhatsAppWebRelay, serveWhatsAppWebLinks, type WhatsAppWebRelayOwnership } from './whatsapp-web-relay.ts';
import { startWhatsAppWebRestore, type WhatsAppWebRestore, type WhatsAppWebRestoreOptions } from './whatsapp-web-restore.ts';
import { localWhatsAppWebSends, type WhatsAppWebSends } from './whatsapp-web-sends.ts';

/** One process's way to WhatsApp Web when several run sessions over one Redis. */
export interface WhatsAppWebRoute {
  /** Links and session statuses, from this process's sessions while it holds the lease, else from the holder's. */
  links: WhatsAppWebLinks;
  /** Sends, through this process's sessions while it holds the lease, else through the holder's. */
  sends: WhatsAppWebSends;
  /** Whether this process holds the lease now. */
  owns(): boolean;
  /** Settles once the first try to take the lease did and replies can be heard. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Makes one process of several (`--scale worker=2`, each with `sessions`) the only one that
 * drives WhatsApp Web: the holder of the relay's lease (`serveWhatsAppWebLinks`) links and sends
 * through its own sessions and answers the others, which pass their links and sends to it over
 * Redis (`createWhatsAppWebRelay`). The holder notes each send in Redis by idempotency key
 * (`localWhatsAppWebSends`), so a send retried after its answer was lost, on any process, is not
 * sent twice. A process that stops holding the lease (lost or not renewed in time) closes its
 * sessions, since two sessions of one account log each other out. A process that starts holding
 * the lease reopens the sessions of the connections recorded as linked from their saved logins
 * (`startWhatsAppWebRestore`, unless `restore` is false), and stops doing so when it lets the
 * lease go; any other session opens when asked for a link. Uses `redis` for commands and two
 * duplicates of it for subscriptions.
 */
export function routeWhatsAppWeb({
  sessions,
  store,
  redis,
  queuePrefix,
  leaseTtlMs,
  leaseRenewMs,
  timeoutMs,
  unconfirmedRetryMs,
  sentTtlMs,
  onError = () => undefined,
  onOwnership = () => undefined,
  restore = {},
}: {
  sessions: WhatsAppWebSessions;
  store: Store;
  redis: Redis;
  queuePrefix: string;
  leaseTtlMs?: number;
  leaseRenewMs?: number;
  timeoutMs?: number;
  unconfirmedRetryMs?: number;
  sentTtlMs?: number;
  onError?: (err: Error) => void;
  onOwnership?: (change: WhatsAppWebRelayOwnership) => void;
  /** How the holder reopens linked sessions when it takes the lease, or false not to. */
  restore?: WhatsAppWebRestoreOptions | false;
}): WhatsAppWebRoute {
  const localLinks = localWhatsAppWebLinks({ sessions, store });
  const localSends = localWhatsAppWebSends({ sessions, store, recent: { redis, queuePrefix, ...(sentTtlMs === undefined ? {} : { ttlMs: sentTtlMs }) }, onError });
  const relay = createWhatsAppWebRelay({
    publisher: redis,
    subscriber: redis.duplicate(),
    queuePrefix,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(unconfirmedRetryMs === undefined ? {} : { unconfirmedRetryMs }),
    onError,
  });
  // Whether this process drives WhatsApp Web, as the last ownership change said; and its restore.
  let driving = false;
  let restoring: WhatsAppWebRestore | undefined;
  const server = serveWhatsAppWebLinks({
    links: localLinks,
    sends: localSends,
    publisher: redis,
    subscriber: redis.duplicate(),
    queuePrefix,
    ...(leaseTtlMs === undefined ? {} : { leaseTtlMs }),
    ...(leaseRenewMs === undefined ? {} : { leaseRenewMs }),
    onError,
    onOwnership: (change) => {
      driving = change.owner;
      const previous = restoring;
      restoring = undefined;
      // Not awaited: the sessions it opened are closed below, or by whoever closes the route.
      if (previous !== undefined) void previous.stop();
      if (change.owner && restore !== false) restoring = startWhatsAppWebRestore({ sessions, store, ...restore, active: () => driving });
      if (!change.owner && change.reason !== 'closed') void sessions.closeAll().catch(onError);
      onOwnership(change);
    },
  });
  const owns = (): boolean => server.owns();

  return {
    links: {
      login: (target) => (owns() ? localLinks.login(target) : relay.login(target)),
      requestPairingCode: (target) => (owns() ? localLinks.requestPairingCode(target) : relay.requestPairingCode(target)),
      status: (target) => (owns() ? localLinks.status(target) : relay.status(target)),
    },
    sends: { send: (target, message) => (owns() ? localSends.send(target, message) : relay.send(target, message)) },
    owns,
    ready: Promise.all([server.ready, relay.ready]).then(() => undefined),
    async close() {
      const last = restoring;
      await server.close();
      await last?.stop();
      await relay.close();
    },
  };
}
