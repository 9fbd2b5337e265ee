import type { Store, TenantStore, Update } from '../store/index.ts';
import type { Vault } from '../vault/index.ts';
import { connectionsCollection, webhookRoutesCollection, type ConnectionDoc, type ConnectionEvent } from './collections.ts';
import { connectionEvent } from './connection-event.ts';
import { sealCredentials } from './create-connection.ts';

/** What an admin may change on a connection; config and credentials already validated. */
export interface ConnectionPatch {
  name?: string;
  config?: Record<string, unknown>;
  /** Plain credentials replacing the stored ones. */
  credentials?: Record<string, unknown>;
  status?: 'active' | 'paused';
  maxBodyBytes?: number;
}

/**
 * Applies a patch to the connection as it was read (`expectedVersion`), so a concurrent change is
 * a VersionConflictError rather than lost. Pushes a `connection.updated` event naming what changed.
 */
export async function updateConnection(db: TenantStore, vault: Vault, conn: ConnectionDoc, patch: ConnectionPatch, now: Date): Promise<ConnectionDoc> {
  const $set: Record<string, unknown> = {};
  const changed: NonNullable<ConnectionEvent['changed']> = [];
  if (patch.name !== undefined) {
    $set.name = patch.name;
    changed.push('name');
  }
  if (patch.config !== undefined) {
    $set.config = patch.config;
    changed.push('config');
  }
  if (patch.credentials !== undefined) {
    $set.credentials = sealCredentials(vault, db.tenantId, patch.credentials);
    $set.credentialsUpdatedAt = now;
    changed.push('credentials');
  }
  if (patch.status !== undefined && patch.status !== conn.status) {
    $set.status = patch.status;
    changed.push('status');
  }
  if (patch.maxBodyBytes !== undefined) {
    $set['webhook.maxBodyBytes'] = patch.maxBodyBytes;
    changed.push('webhook');
  }
  if (changed.length === 0) return conn;
  const update: Update = { $set, $push: { outbox: connectionEvent('connection.updated', conn._id, now, changed) } };
  const updated = await db.collection(connectionsCollection).updateOne({ _id: conn._id, status: { $ne: 'deleted' } }, update, { expectedVersion: conn.version });
  return updated ?? conn;
}

/**
 * Replaces the credentials after a token refresh. Unlike an admin's patch it does not check the
 * version: a refresh must not fail because someone renamed the connection meanwhile.
 */
export async function saveConnectionCredentials(db: TenantStore, vault: Vault, connectionId: string, credentials: Record<string, unknown>, now: Date): Promise<void> {
  await db.collection(connectionsCollection).updateOne(
    { _id: connectionId, status: { $ne: 'deleted' } },
    { $set: { credentials: sealCredentials(vault, db.tenantId, credentials), credentialsUpdatedAt: now } },
  );
}

/** Records the outcome of a connection test; a failed one does not change the status. */
export async function recordConnectionCheck(db: TenantStore, connectionId: string, check: { at: Date; ok: boolean; message?: string }): Promise<void> {
  await db.collection(connectionsCollection).updateOne({ _id: connectionId }, { $set: { lastCheck: check } });
}

/**
 * Soft-deletes a connection: its webhook route goes inactive first (webhooks stop at once), then
 * the connection is marked deleted and loses its credentials and secrets, so nothing can use them
 * again. Lineage that names the connection id stays readable.
 */
export async function deleteConnection(store: Store, db: TenantStore, conn: ConnectionDoc, now: Date): Promise<void> {
  await store.platform(webhookRoutesCollection).updateOne({ _id: conn._id }, { $set: { active: false } });
  await db.collection(connectionsCollection).updateOne(
    { _id: conn._id },
    {
      $set: { status: 'deleted', deletedAt: now, 'webhook.secrets': [] },
      $unset: { credentials: true },
      $push: { outbox: connectionEvent('connection.deleted', conn._id, now) },
    },
  );
}
