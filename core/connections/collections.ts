import type { BaseDoc, CollectionDef } from '../store/index.ts';

/** One webhook signing secret; `value` is a vault ciphertext (purpose `connection.webhook-secret`). */
export interface StoredWebhookSecret {
  id: string;
  value: string;
  /** After this instant the secret no longer verifies; rotation keeps the old one until then. */
  notAfter?: Date;
  createdAt: Date;
}

/** A change to a connection, for the outbox relay (pollers and sync react to these). */
export interface ConnectionEvent {
  id: string;
  type: 'connection.created' | 'connection.updated' | 'connection.deleted';
  at: Date;
  connectionId: string;
  /** For `connection.updated`: which parts changed. */
  changed?: Array<'name' | 'config' | 'credentials' | 'status' | 'webhook'>;
}

/** A configured link from a tenant to one external system through one connector. */
export interface ConnectionDoc extends BaseDoc {
  connector: string;
  name: string;
  /** Validated against the connector's config schema; holds no secrets. */
  config: Record<string, unknown>;
  /** Vault ciphertext of the credentials JSON (purpose `connection.credentials`). */
  credentials?: string;
  webhook: {
    secrets: StoredWebhookSecret[];
    /** Request body cap for this connection's webhooks. @default 1 MiB */
    maxBodyBytes?: number;
  };
  status: 'active' | 'paused' | 'error' | 'deleted';
  deletedAt?: Date;
  lastCheck?: { at: Date; ok: boolean; message?: string };
  /** When the credentials were last replaced (by an admin or a token refresh). */
  credentialsUpdatedAt?: Date;
  /** The API key that created the connection. */
  createdBy?: string;
  /** Events not yet relayed; see CONTRIBUTING (outbox without transactions). */
  outbox?: ConnectionEvent[];
}

export const connectionsCollection: CollectionDef<ConnectionDoc> = {
  name: 'connections',
  scope: 'tenant',
  holdsSecrets: true,
  indexes: [{ fields: { tenantId: 1, status: 1 } }],
};

/**
 * The public webhook URL names only the connection; this platform index finds its tenant, so the
 * connection itself is still read through the tenant's scope.
 */
export interface WebhookRouteDoc extends BaseDoc {
  /** The owning tenant's id (`_id` is the connection id). */
  tenant: string;
  active: boolean;
}

export const webhookRoutesCollection: CollectionDef<WebhookRouteDoc> = {
  name: 'webhook_routes',
  scope: 'platform',
};
