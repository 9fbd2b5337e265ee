import { createConnectorContext, createOutboundHttp, type Connector, type ConnectorContext, type OutboundHttp } from '../../connectors/sdk/index.ts';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** One outbound HTTP per test file; loopback allowed because the fakes listen there. */
export function loopbackOutbound(): OutboundHttp {
  return createOutboundHttp({ allowPrivate: true, timeoutMs: 5_000 });
}

/**
 * A connector context as the hub builds one, over `outbound` (loopback allowed unless the caller
 * passes a guarded one). Throws when config or credentials do not fit the connector's schemas.
 */
export function channelContext(
  connector: Connector,
  { config, credentials, outbound, connectionId = 'conn-test', signal }: { config: unknown; credentials: unknown; outbound: OutboundHttp; connectionId?: string; signal?: AbortSignal },
): ConnectorContext {
  const made = createConnectorContext({
    connector,
    config,
    credentials,
    fetch: outbound.fetch,
    agents: outbound.agents,
    logger: silent,
    connectionId,
    tenantId: 'tenant-test',
    ...(signal ? { signal } : {}),
  });
  if (!made.ok) throw new Error(`${connector.id}: ${made.error}: ${made.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
  return made.context;
}
