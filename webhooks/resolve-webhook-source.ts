import { connectorRegistry, type ConnectorRegistry, type WebhookSettings } from '../connectors/index.ts';
import { activeWebhookSecrets, resolveWebhookRoute, type ConnectionDoc } from '../core/connections/index.ts';
import type { Store } from '../core/store/index.ts';
import type { Vault } from '../core/vault/index.ts';
import { DEFAULT_MAX_BODY_BYTES, type ResolveWebhookSource } from './webhook-source.ts';

// An errored connection (e.g. a failed credential check) still receives webhooks; paused ones do not.
const RECEIVING = new Set<ConnectionDoc['status']>(['active', 'error']);
const MAX_CACHED_SECRETS = 10_000;

interface ResolverLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Resolves a webhook URL's connection id through the platform route index to the owning tenant
 * and its connection (`resolveWebhookRoute`), asks the connection's connector how its webhooks
 * are signed, and decrypts the secrets that are still active (`activeWebhookSecrets`).
 */
export function createWebhookSourceResolver(deps: {
  store: Store;
  vault: Vault;
  logger?: ResolverLogger;
  /** @default connectorRegistry */
  connectors?: Pick<ConnectorRegistry, 'get'>;
  now?: () => Date;
}): ResolveWebhookSource {
  const { store, vault, logger, connectors = connectorRegistry, now = () => new Date() } = deps;

  // Plaintexts by ciphertext: a ciphertext never changes meaning (rotation writes a new one), so
  // this cannot go stale, and it spares an AES-GCM decryption per secret per request.
  const plaintexts = new Map<string, string>();
  const cachingVault: Vault = {
    ...vault,
    decrypt(ciphertext, ctx) {
      const key = `${ctx.tenantId}\u0000${ctx.purpose}\u0000${ciphertext}`;
      const cached = plaintexts.get(key);
      if (cached !== undefined) return { ok: true, value: cached };
      const plain = vault.decrypt(ciphertext, ctx);
      if (plain.ok) {
        if (plaintexts.size >= MAX_CACHED_SECRETS) plaintexts.delete(plaintexts.keys().next().value!);
        plaintexts.set(key, plain.value);
      }
      return plain;
    },
  };

  const settingsOf = (connection: ConnectionDoc, tenantId: string): WebhookSettings | undefined => {
    try {
      return connectors.get(connection.connector)?.webhookSettings(connection.config ?? {});
    } catch (err) {
      // A stored config its connector no longer accepts: no endpoint, rather than a 500 per request.
      logger?.warn({ tenantId, connectionId: connection._id, err: { message: (err as Error).message } }, 'webhook settings of the connection are invalid');
      return undefined;
    }
  };

  return async function resolveWebhookSource(connectionId) {
    const route = await resolveWebhookRoute(store, connectionId);
    if (!route) return null;
    const { tenantId, connection } = route;
    const settings = settingsOf(connection, tenantId);
    if (!settings) return null;
    return {
      tenantId,
      connectionId,
      connectorId: connection.connector,
      scheme: settings.scheme,
      schemeOptions: settings.options,
      secrets: activeWebhookSecrets(cachingVault, { webhook: connection.webhook, tenantId }, now()),
      maxBodyBytes: connection.webhook?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      active: RECEIVING.has(connection.status),
    };
  };
}
