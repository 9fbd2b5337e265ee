import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { createConnectorContext, type Connector, type ConnectorContext, type ConnectorRegistry, type OutboundHttp } from '../../connectors/index.ts';
import { connectionsCollection, decryptCredentials, loadConnection, saveConnectionCredentials, type ConnectionDoc } from '../../core/connections/index.ts';
import { newId, type TenantStore } from '../../core/store/index.ts';
import { bucketParams, type BucketParams } from '../../core/sync/index.ts';
import type { Vault } from '../../core/vault/index.ts';

/** A usable connection: its document, connector, a connector context and its rate budget. */
export interface ConnectionHandle {
  conn: ConnectionDoc;
  connector: Connector;
  context: ConnectorContext;
  bucket: BucketParams;
}

/** Why a connection cannot be used now. `missing` and `paused` skip work; the others are dead letters. */
export type HandleFailureCode = 'connection_missing' | 'connection_paused' | 'connection_error' | 'connector_unavailable' | 'invalid_settings' | 'credentials_unreadable';

export type HandleResult = { ok: true; handle: ConnectionHandle } | { ok: false; code: HandleFailureCode; message: string };

/** Connector contexts per connection, reused across jobs of this process. */
export interface ConnectionHandles {
  get(db: TenantStore, connectionId: string): Promise<HandleResult>;
  /** Aborts vendor calls still running (after the workers have stopped). */
  close(): void;
  /** Marks a connection `error` (its credentials were rejected after a refresh): sync stops using it until an admin fixes it. */
  flagError(db: TenantStore, connectionId: string, message: string): Promise<void>;
}

/**
 * Builds connector contexts for stored connections and keeps one per connection while its config
 * and credentials stay the same. Jobs sharing a context share its token refreshes: concurrent
 * 401s make one refresh, not one per job (a refresh token that rotates would be spent twice).
 */
export function createConnectionHandles(deps: {
  vault: Vault;
  connectors: Pick<ConnectorRegistry, 'get'>;
  outbound: OutboundHttp;
  logger: Logger;
  now: () => Date;
  bucketFallback?: BucketParams;
}): ConnectionHandles {
  const cache = new Map<string, { stamp: string; handle: ConnectionHandle }>();
  const signals = createSignalRotation();
  return {
    async get(db, connectionId) {
      const conn = await loadConnection(db, connectionId);
      if (conn === null) return { ok: false, code: 'connection_missing', message: `connection ${connectionId} no longer exists` };
      if (conn.status === 'paused') return { ok: false, code: 'connection_paused', message: `connection ${connectionId} is paused` };
      if (conn.status === 'error') {
        return { ok: false, code: 'connection_error', message: `connection ${connectionId} needs attention (${conn.lastCheck?.message ?? 'its credentials were rejected'}); fix it, then replay` };
      }
      const connector = deps.connectors.get(conn.connector);
      if (connector === undefined) return { ok: false, code: 'connector_unavailable', message: `the connector "${conn.connector}" is not available in this hub` };
      const key = `${db.tenantId}/${connectionId}`;
      const stamp = `${conn.connector}|${conn.credentials ?? ''}|${JSON.stringify(conn.config)}`;
      const cached = cache.get(key);
      if (cached !== undefined && cached.stamp === stamp) return { ok: true, handle: { ...cached.handle, conn } };

      const credentials = decryptCredentials(deps.vault, conn);
      if (!credentials.ok) return { ok: false, code: 'credentials_unreadable', message: `the stored credentials cannot be decrypted (${credentials.error}); save them again` };
      const made = createConnectorContext({
        connector,
        config: conn.config,
        credentials: credentials.credentials,
        fetch: deps.outbound.fetch,
        agents: deps.outbound.agents,
        logger: deps.logger.child({ connectionId, connector: conn.connector }),
        now: deps.now,
        saveCredentials: (updated: unknown) => saveConnectionCredentials(db, deps.vault, connectionId, updated as Record<string, unknown>, deps.now()),
        connectionId,
        tenantId: db.tenantId,
      });
      if (!made.ok) {
        return { ok: false, code: 'invalid_settings', message: `the stored ${made.error === 'invalid_config' ? 'config' : 'credentials'} no longer fit the ${conn.connector} connector; save them again` };
      }
      // The context is shared by every job of this connection (so they share token refreshes). Each
      // vendor request registers a listener on the context's signal that stays until the request
      // is collected; one long-lived signal would pile up thousands of them, and every new one
      // costs a walk of that list. So the signal is a fresh one every second or hundred requests.
      Object.defineProperty(made.context, 'signal', { get: () => signals.current(), enumerable: true, configurable: true });
      const handle: ConnectionHandle = {
        conn,
        connector,
        context: made.context,
        bucket: bucketParams(connector.rateLimits(made.context.config), deps.bucketFallback === undefined ? {} : { fallback: deps.bucketFallback }),
      };
      if (cache.size > 1000) cache.clear();
      cache.set(key, { stamp, handle });
      return { ok: true, handle };
    },
    close() {
      signals.abortAll();
      cache.clear();
    },
    async flagError(db, connectionId, message) {
      const at = deps.now();
      await db.collection(connectionsCollection).updateOne(
        { _id: connectionId, status: 'active' },
        {
          $set: { status: 'error', lastCheck: { at, ok: false, message } },
          $push: { outbox: { id: newId('evt'), type: 'connection.updated', at, connectionId, changed: ['status'] } },
        },
      );
    },
  };
}

/**
 * Abort signals handed out for a second (or a hundred requests) each; all those that may still
 * guard a request are aborted at close.
 */
function createSignalRotation({ everyMs = 1000, uses = 100, keepMs = 120_000 }: { everyMs?: number; uses?: number; keepMs?: number } = {}): { current(): AbortSignal; abortAll(): void } {
  const live: Array<{ controller: AbortController; since: number; uses: number }> = [];
  return {
    current() {
      const now = Date.now();
      const last = live[live.length - 1];
      if (last !== undefined && now - last.since < everyMs && last.uses < uses) {
        last.uses += 1;
        return last.controller.signal;
      }
      // Requests time out long before `keepMs`; older controllers guard nothing any more.
      while (live.length > 0 && now - live[0]!.since > keepMs) live.shift();
      const controller = new AbortController();
      // A request can register a few listeners; bounded by `uses`, so no leak warning is due.
      setMaxListeners(uses * 8, controller.signal);
      live.push({ controller, since: now, uses: 1 });
      return controller.signal;
    },
    abortAll() {
      for (const { controller } of live.splice(0)) controller.abort();
    },
  };
}
