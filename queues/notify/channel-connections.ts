import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { createConnectorContext, type Connector, type ConnectorContext, type OutboundHttp } from '../../connectors/index.ts';
import { connectionsCollection, decryptCredentials, saveConnectionCredentials, type ConnectionDoc } from '../../core/connections/index.ts';
import type { Channel } from '../../core/notifications/index.ts';
import type { TenantStore } from '../../core/store/index.ts';
import type { Vault } from '../../core/vault/index.ts';
import { channelOfConnector } from './channel-of-connector.ts';

/** A connection ready to send: its document, connector and context. */
export interface SendingConnection {
  conn: ConnectionDoc;
  connector: Connector;
  context: ConnectorContext;
}

export type SendingConnectionResult = { ok: true; value: SendingConnection } | { ok: false; message: string };

/** The tenant's active messaging connections and their connector contexts, reused across jobs. */
export interface ChannelConnections {
  /** The connection that sends on each channel: the oldest active one with a connector that can send. */
  active(db: TenantStore): Promise<Map<Channel, ConnectionDoc>>;
  context(db: TenantStore, conn: ConnectionDoc): SendingConnectionResult;
}

const LIST_TTL_MS = 1000;

/**
 * Finds the connection per channel and builds its context. The list is kept for a second per
 * tenant, so a burst of notifications reads it once; a connection saved or paused is picked up
 * within that second. Contexts are rebuilt when the config or credentials change.
 */
export function createChannelConnections(deps: {
  vault: Vault;
  connectors: { get(id: string): Connector | undefined };
  outbound: OutboundHttp;
  logger: Logger;
  now: () => Date;
}): ChannelConnections {
  const lists = new Map<string, { at: number; value: Map<Channel, ConnectionDoc> }>();
  const contexts = new Map<string, { stamp: string; value: SendingConnection }>();
  // One signal for every send of this process; each send adds and removes its own listener.
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return {
    async active(db) {
      const cached = lists.get(db.tenantId);
      if (cached !== undefined && Date.now() - cached.at < LIST_TTL_MS) return cached.value;
      const rows = await db.collection(connectionsCollection).find({ status: 'active' }, { sort: { createdAt: 1 } });
      const value = new Map<Channel, ConnectionDoc>();
      for (const conn of rows) {
        const channel = channelOfConnector(conn.connector);
        if (channel === undefined || value.has(channel)) continue;
        if (deps.connectors.get(conn.connector)?.sendMessage === undefined) continue;
        value.set(channel, conn);
      }
      if (lists.size > 10_000) lists.clear();
      lists.set(db.tenantId, { at: Date.now(), value });
      return value;
    },
    context(db, conn) {
      const connector = deps.connectors.get(conn.connector);
      if (connector === undefined) return { ok: false, message: `the connector "${conn.connector}" is not available in this hub` };
      const key = `${db.tenantId}/${conn._id}`;
      const stamp = `${conn.credentials ?? ''}|${JSON.stringify(conn.config)}`;
      const cached = contexts.get(key);
      if (cached !== undefined && cached.stamp === stamp) return { ok: true, value: cached.value };
      const credentials = decryptCredentials(deps.vault, conn);
      if (!credentials.ok) return { ok: false, message: `the stored credentials of connection ${conn._id} cannot be decrypted; save them again` };
      const made = createConnectorContext({
        connector,
        config: conn.config,
        credentials: credentials.credentials,
        fetch: deps.outbound.fetch,
        agents: deps.outbound.agents,
        logger: deps.logger.child({ connectionId: conn._id, connector: conn.connector }),
        now: deps.now,
        signal: controller.signal,
        saveCredentials: (updated: unknown) => saveConnectionCredentials(db, deps.vault, conn._id, updated as Record<string, unknown>, deps.now()),
        connectionId: conn._id,
        tenantId: db.tenantId,
      });
      if (!made.ok) return { ok: false, message: `the stored ${made.error === 'invalid_config' ? 'config' : 'credentials'} of connection ${conn._id} no longer fit the ${conn.connector} connector` };
      const value = { conn, connector, context: made.context };
      if (contexts.size > 1000) contexts.clear();
      contexts.set(key, { stamp, value });
      return { ok: true, value };
    },
  };
}
