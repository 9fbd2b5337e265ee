import { newId, type Store } from '../store/index.ts';
import type { Vault } from '../vault/index.ts';
import { connectionsCollection, webhookRoutesCollection, type ConnectionDoc, type StoredWebhookSecret } from './collections.ts';
import { connectionEvent } from './connection-event.ts';
import { CREDENTIALS_PURPOSE, WEBHOOK_SECRET_PURPOSE } from './secret-purposes.ts';

/** A connection to create; config and credentials already validated against the connector. */
export interface NewConnection {
  connector: string;
  name: string;
  config: Record<string, unknown>;
  /** Plain credentials; encrypted before they are stored. */
  credentials?: Record<string, unknown>;
  webhook?: { secrets?: ReadonlyArray<{ value: string; notAfter?: Date }>; maxBodyBytes?: number };
  createdBy?: string;
}

/** Encrypts one webhook secret for storage under a fresh id. */
export function sealWebhookSecret(vault: Vault, tenantId: string, secret: { value: string; notAfter?: Date }, now: Date): StoredWebhookSecret {
  return {
    id: newId('whs'),
    value: vault.encrypt(secret.value, { tenantId, purpose: WEBHOOK_SECRET_PURPOSE }),
    ...(secret.notAfter === undefined ? {} : { notAfter: secret.notAfter }),
    createdAt: now,
  };
}

/** Encrypts a credentials object for storage. */
export function sealCredentials(vault: Vault, tenantId: string, credentials: Record<string, unknown>): string {
  return vault.encrypt(JSON.stringify(credentials), { tenantId, purpose: CREDENTIALS_PURPOSE });
}

/**
 * Stores a connection with an unguessable id (`conn_...`), its credentials and webhook secrets
 * encrypted under the tenant, then its platform webhook route. A crash between the two writes
 * leaves a connection whose webhooks answer 404 until it is saved again; never the reverse.
 */
export async function createConnection(store: Store, tenantId: string, vault: Vault, input: NewConnection, now: Date): Promise<ConnectionDoc> {
  const id = newId('conn');
  const doc = await store
    .forTenant(tenantId)
    .collection(connectionsCollection)
    .insert({
      _id: id,
      connector: input.connector,
      name: input.name,
      config: input.config,
      ...(input.credentials === undefined ? {} : { credentials: sealCredentials(vault, tenantId, input.credentials), credentialsUpdatedAt: now }),
      webhook: {
        secrets: (input.webhook?.secrets ?? []).map((s) => sealWebhookSecret(vault, tenantId, s, now)),
        ...(input.webhook?.maxBodyBytes === undefined ? {} : { maxBodyBytes: input.webhook.maxBodyBytes }),
      },
      status: 'active',
      ...(input.createdBy === undefined ? {} : { createdBy: input.createdBy }),
      outbox: [connectionEvent('connection.created', id, now)],
    });
  await store.platform(webhookRoutesCollection).updateOne({ _id: id }, { $set: { tenant: tenantId, active: true } }, { upsert: true });
  return doc;
}
