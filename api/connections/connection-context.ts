import { createConnectorContext, type Connector, type ConnectorContext } from '../../connectors/index.ts';
import { decryptCredentials, saveConnectionCredentials, type ConnectionDoc } from '../../core/connections/index.ts';
import type { TenantStore } from '../../core/store/index.ts';
import type { Services } from '../app-env.ts';
import { outboundOf } from './outbound-of.ts';

/** A connector context for a stored connection, or why one cannot be made. */
export type ConnectionContextResult = { ok: true; context: ConnectorContext } | { ok: false; message: string };

/**
 * Builds the context a connector runs in for one stored connection: decrypted credentials, the
 * app's guarded fetch, a child logger naming the connection. With `persistCredentials` false
 * (preview), refreshed tokens live only in this context, so nothing is written.
 */
export function connectionContext(
  services: Services,
  db: TenantStore,
  conn: ConnectionDoc,
  connector: Connector,
  { persistCredentials, signal }: { persistCredentials: boolean; signal?: AbortSignal },
): ConnectionContextResult {
  const credentials = decryptCredentials(services.vault, conn);
  if (!credentials.ok) return { ok: false, message: `the stored credentials cannot be decrypted (${credentials.error}); save them again` };
  const outbound = outboundOf(services);
  const made = createConnectorContext({
    connector,
    config: conn.config,
    credentials: credentials.credentials,
    fetch: outbound.fetch,
    agents: outbound.agents,
    logger: services.logger.child({ connectionId: conn._id, connector: conn.connector }),
    now: services.now,
    ...(signal === undefined ? {} : { signal }),
    ...(persistCredentials ? { saveCredentials: (updated: unknown) => saveConnectionCredentials(db, services.vault, conn._id, updated as Record<string, unknown>, services.now()) } : {}),
    connectionId: conn._id,
    tenantId: db.tenantId,
  });
  if (!made.ok) {
    const what = made.error === 'invalid_config' ? 'config' : 'credentials';
    return { ok: false, message: `the stored ${what} no longer fit the ${conn.connector} connector (${made.issues.map((i) => i.path || what).join(', ')}); save them again` };
  }
  return made;
}
