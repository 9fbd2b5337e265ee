import type { TenantStore } from '../store/index.ts';
import type { Vault } from '../vault/index.ts';
import { connectionsCollection, type ConnectionDoc, type StoredWebhookSecret } from './collections.ts';
import { connectionEvent } from './connection-event.ts';
import { sealWebhookSecret } from './create-connection.ts';
import { MAX_WEBHOOK_SECRETS } from './secret-purposes.ts';

/** A new secret and the connection with it, or why it was not added. */
export type AddWebhookSecretResult =
  | { ok: true; secret: StoredWebhookSecret; connection: ConnectionDoc }
  | { ok: false; error: 'too_many_secrets' };

/**
 * Adds a webhook secret for rotation: senders switch to the new one while the old ones keep
 * verifying until `retireOthersAt` (when given, it becomes their `notAfter`, never extending an
 * earlier one). Secrets already expired are dropped.
 */
export async function addWebhookSecret(
  db: TenantStore,
  vault: Vault,
  conn: ConnectionDoc,
  input: { value: string; notAfter?: Date; retireOthersAt?: Date },
  now: Date,
): Promise<AddWebhookSecretResult> {
  const kept = conn.webhook.secrets
    .filter((s) => s.notAfter === undefined || new Date(s.notAfter).getTime() > now.getTime())
    .map((s) => {
      const retire = input.retireOthersAt;
      if (retire === undefined) return s;
      const current = s.notAfter === undefined ? undefined : new Date(s.notAfter);
      return current !== undefined && current.getTime() <= retire.getTime() ? s : { ...s, notAfter: retire };
    });
  if (kept.length >= MAX_WEBHOOK_SECRETS) return { ok: false, error: 'too_many_secrets' };
  const secret = sealWebhookSecret(vault, db.tenantId, input, now);
  const updated = await db.collection(connectionsCollection).updateOne(
    { _id: conn._id, status: { $ne: 'deleted' } },
    { $set: { 'webhook.secrets': [...kept, secret] }, $push: { outbox: connectionEvent('connection.updated', conn._id, now, ['webhook']) } },
    { expectedVersion: conn.version },
  );
  return { ok: true, secret, connection: updated ?? conn };
}

/** Removes one webhook secret at once; false when the connection has no such secret. */
export async function removeWebhookSecret(db: TenantStore, conn: ConnectionDoc, secretId: string, now: Date): Promise<boolean> {
  if (!conn.webhook.secrets.some((s) => s.id === secretId)) return false;
  await db.collection(connectionsCollection).updateOne(
    { _id: conn._id },
    {
      $set: { 'webhook.secrets': conn.webhook.secrets.filter((s) => s.id !== secretId) },
      $push: { outbox: connectionEvent('connection.updated', conn._id, now, ['webhook']) },
    },
    { expectedVersion: conn.version },
  );
  return true;
}
