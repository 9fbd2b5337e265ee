import type { Connector, ConnectorDescriptor } from './sdk/index.ts';

/** The connectors a hub offers, by id. */
export interface ConnectorRegistry {
  get(id: string): Connector | undefined;
  list(): readonly Connector[];
  ids(): string[];
  /** Every connector's registry entry, in registration order. */
  describeAll(): ConnectorDescriptor[];
}

/**
 * A registry over the given connectors; ids must be unique.
 * @example const registry = createConnectorRegistry([webhookConnector, restConnector]);
 */
export function createConnectorRegistry(connectors: readonly Connector[]): ConnectorRegistry {
  const byId = new Map<string, Connector>();
  for (const connector of connectors) {
    if (byId.has(connector.id)) throw new TypeError(`createConnectorRegistry: connector id "${connector.id}" is registered twice`);
    byId.set(connector.id, connector);
  }
  const list = Object.freeze([...connectors]);
  return Object.freeze({
    get: (id: string) => byId.get(id),
    list: () => list,
    ids: () => [...byId.keys()],
    describeAll: () => list.map((c) => c.describe()),
  });
}
