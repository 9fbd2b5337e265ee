import { failWith, succeed, type DomainResult } from '../../core/domain/index.ts';
import { notificationsCollection, type NotificationDoc } from '../../core/notifications/index.ts';
import type { TenantStore } from '../../core/store/index.ts';

/**
 * Withdraws a notification that has not gone out yet (queued or deferred): status `cancelled`,
 * and its job finds it settled. One already sent, failed or opted out is a conflict. A send in
 * flight at that moment still completes; the attempt it wrote first shows it.
 */
export async function cancelNotification(db: TenantStore, id: string, meta: { now: Date; reason?: string }): Promise<DomainResult<NotificationDoc>> {
  const notifications = db.collection(notificationsCollection);
  for (let tries = 0; tries < 5; tries += 1) {
    const existing = await notifications.findById(id);
    if (existing === null) return failWith({ code: 'not_found', message: 'No such notification' });
    const inFlight = existing.attempts.some((a) => a.outcome === 'sending');
    if ((existing.status !== 'queued' && existing.status !== 'deferred') || inFlight) {
      return failWith({ code: 'conflict', message: `the notification is ${inFlight ? 'being sent' : existing.status}; only one not sent yet can be cancelled` });
    }
    // Compare-and-set on the version: a send that starts meanwhile wins, and the loop looks again.
    const cancelled = await notifications.updateOne(
      { _id: id, version: existing.version },
      { $set: { status: 'cancelled', error: { code: 'cancelled', message: meta.reason ?? 'cancelled before it was sent', permanent: true } }, $unset: { dueAt: true, waitReason: true } },
    );
    if (cancelled !== null) return succeed(cancelled);
  }
  return failWith({ code: 'conflict', message: 'the notification keeps changing; try again' });
}
