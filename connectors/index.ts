// The public surface of connectors/: the registry, the SDK for wiring and the shipped connectors.

export { connectorRegistry } from './registry.ts';
export { createConnectorRegistry, type ConnectorRegistry } from './create-connector-registry.ts';
export { restConnector } from './rest/index.ts';
export { webhookConnector } from './webhook/index.ts';
export * from './sdk/index.ts';
