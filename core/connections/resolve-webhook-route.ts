import type { Store } from '../store/index.ts';
import { connectionsCollection, webhookRoutesCollection, type ConnectionDoc } from './collections.ts';

/**
 * The tenant and connection a webhook URL names, or null when there is no such route, the route
 * is inactive or the connection is gone or deleted. Paused connections are returned: whether
 * they accept events is the pipeline's decision (`connection.status`).
 */
export async function resolveWebhookRoute(store: Store, connectionId: string): Promise<{ tenantId: string; connection: ConnectionDoc } | null> {
  const route = await store.platform(webhookRoutesCollection).findById(connectionId);
  if (route === null || !route.active) return null;
  const connection = await store.forTenant(route.tenant).collection(connectionsCollection).findById(connectionId);
  if (connection === null || connection.status === 'deleted') return null;
  return { tenantId: route.tenant, connection };
}
