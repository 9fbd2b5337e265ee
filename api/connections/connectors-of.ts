import { connectorRegistry, type ConnectorRegistry } from '../../connectors/index.ts';
import type { Services } from '../app-env.ts';

/**
 * The connectors the app offers: `services.connectors` when whoever built the services passed a
 * registry (tests add stand-ins), else every shipped connector.
 */
export function connectorsOf(services: Services): ConnectorRegistry {
  return services.connectors ?? connectorRegistry;
}
