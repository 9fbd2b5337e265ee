import type { Vault } from '../vault/index.ts';
import type { ConnectionDoc } from './collections.ts';
import { WEBHOOK_SECRET_PURPOSE } from './secret-purposes.ts';

/** A plain webhook secret that still verifies. */
export interface ActiveWebhookSecret {
  id: string;
  value: string;
  notAfter?: Date;
}

/**
 * The connection's webhook secrets that still verify at `now`, decrypted, newest first so the
 * usual match is found first. A secret with `notAfter` at or before `now` is left out, which is
 * how a rotated-out secret stops working without downtime. A secret that no longer decrypts
 * (its key was removed) is left out too.
 */
export function activeWebhookSecrets(vault: Vault, conn: Pick<ConnectionDoc, 'webhook' | 'tenantId'>, now: Date): ActiveWebhookSecret[] {
  const out: ActiveWebhookSecret[] = [];
  for (const stored of conn.webhook?.secrets ?? []) {
    const notAfter = stored.notAfter === undefined ? undefined : new Date(stored.notAfter);
    if (notAfter !== undefined && notAfter.getTime() <= now.getTime()) continue;
    const plain = vault.decrypt(stored.value, { tenantId: conn.tenantId ?? '', purpose: WEBHOOK_SECRET_PURPOSE });
    if (!plain.ok) continue;
    out.push({ id: stored.id, value: plain.value, ...(notAfter === undefined ? {} : { notAfter }) });
  }
  return out.reverse();
}
