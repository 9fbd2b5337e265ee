import type { Logger } from 'pino';
import type { Connector } from '../../connectors/index.ts';
import type { ConnectionDoc } from '../../core/connections/index.ts';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  flattenValues,
  messageTemplatesCollection,
  nextAttempt,
  normalizeAddress,
  notificationSettingsId,
  notificationDeliveryUpdate,
  notificationSettingsCollection,
  notificationsCollection,
  planDelivery,
  renderMessage,
  selectTemplate,
  SETTLED_STATUSES,
  type Channel,
  type DeliveryAttempt,
  type DeliveryError,
  type MessageValues,
  type NotificationAttempt,
  type NotificationDoc,
  type NotificationSettings,
  type RenderedMessage,
} from '../../core/notifications/index.ts';
import { recordInvoiceDelivery, type DeliveryOutcome } from '../../core/billing/index.ts';
import { clearEscalationSignal, raiseEscalationSignal } from '../../core/escalations/index.ts';
import type { Store, TenantStore, Update } from '../../core/store/index.ts';
import { tenantsCollection } from '../../core/tenancy/index.ts';
import type { HubQueues } from '../create-queues.ts';
import { buildOutboundMessage } from './build-outbound-message.ts';
import type { ChannelConnections } from './channel-connections.ts';
import { deliveryErrorOf } from './delivery-error-of.ts';
import { enqueueSend } from './notify-job.ts';
import { recordAddressOptOut } from './opt-outs.ts';
import { resolveRecipient, type ResolvedRecipient } from './resolve-recipient.ts';
import { UnconfirmedSendError } from './unconfirmed-send-error.ts';

/** What one run of a notification ended with: settled, or waiting until `until`. */
export type DeliveryRun = { kind: 'settled'; status: NotificationDoc['status'] } | { kind: 'wait'; until: Date } | { kind: 'missing' };

/** What the sweep did. */
export interface NotifySweepResult {
  /** Waiting jobs moved forward because their notification fell due. */
  released: number;
  /** Notifications whose job was missing or had ended, enqueued again. */
  enqueued: number;
}

/** Sends notifications and releases due ones; one per worker process. */
export interface Notifier {
  deliver(tenantId: string, notificationId: string): Promise<DeliveryRun>;
  sweep(options?: { limit?: number }): Promise<NotifySweepResult>;
}

interface TenantFacts {
  name: string;
  timeZone: string;
  settings: NotificationSettings;
}

/**
 * The delivery logic of the `notify` queue. A run plans the channels (preference, active
 * connections, opt-outs), waits out quiet hours and `notBefore`, renders the template, and sends
 * with an attempt written first as the processed-key. Failures follow the tenant's retry policy:
 * a retry later on the same channel, or the next channel at once; when none is left the
 * notification is `failed`. A send that may have gone out unconfirmed (`UnconfirmedSendError`)
 * is no failure: its attempt stays open and runs again later with the same idempotency key.
 */
export function createNotifier(deps: {
  store: Store;
  queues: Pick<HubQueues, 'get'>;
  connections: ChannelConnections;
  logger: Logger;
  now: () => Date;
}): Notifier {
  const { store, queues, connections, logger, now } = deps;

  async function tenantFacts(db: TenantStore): Promise<TenantFacts> {
    const [tenant, stored] = await Promise.all([
      store.platform(tenantsCollection).findById(db.tenantId),
      db.collection(notificationSettingsCollection).findById(notificationSettingsId(db.tenantId)),
    ]);
    return { name: tenant?.name ?? '', timeZone: tenant?.timeZone ?? 'Asia/Kolkata', settings: stored?.settings ?? DEFAULT_NOTIFICATION_SETTINGS };
  }

  async function render(db: TenantStore, doc: NotificationDoc, channel: Channel, recipient: ResolvedRecipient, facts: TenantFacts): Promise<{ ok: true; value: RenderedMessage; locale: NotificationDoc['locale'] } | { ok: false; error: DeliveryError }> {
    const locale = doc.locale ?? recipient.locale ?? facts.settings.defaultLocale;
    const tenantTemplates = (await db.collection(messageTemplatesCollection).find({ key: doc.templateKey, channel })).map((d) => d.template);
    const selected = selectTemplate({ key: doc.templateKey, channel, locale, tenantTemplates });
    if (selected === undefined) return { ok: false, error: { code: 'no_template', message: `no ${channel} template for ${doc.templateKey}`, permanent: true } };
    const values: MessageValues = flattenValues(doc.values);
    if (values['tenant.name'] === undefined && facts.name) values['tenant.name'] = facts.name;
    if (values['recipient.name'] === undefined && recipient.name) values['recipient.name'] = recipient.name;
    const rendered = renderMessage(selected.template, values, { timeZone: facts.timeZone });
    if (!rendered.ok) return { ok: false, error: { code: rendered.error.code, message: rendered.error.message, permanent: true } };
    return { ok: true, value: rendered.value, locale: selected.template.locale };
  }

  async function settle(db: TenantStore, doc: NotificationDoc, status: 'failed' | 'opted_out', error: DeliveryError): Promise<DeliveryRun> {
    const at = now();
    const settled = await db.collection(notificationsCollection).updateOne(
      { _id: doc._id, status: { $in: ['queued', 'deferred'] } },
      { $set: { status, error, ...(status === 'failed' ? { failedAt: at } : {}) }, $unset: { dueAt: true, waitReason: true } },
    );
    // An invoice nobody received is an escalation trigger (`invoice_undelivered`) for its milestone.
    if (settled !== null && isInvoiceDelivery(doc)) {
      await raiseEscalationSignal(db, doc.milestoneId, 'invoiceUndeliveredAt', at);
      await recordOnInvoice(db, settled, { at, error: error.message ?? error.code });
    }
    return { kind: 'settled', status };
  }

  async function wait(db: TenantStore, doc: NotificationDoc, until: Date, reason: NonNullable<NotificationDoc['waitReason']>, attempts?: NotificationAttempt[]): Promise<DeliveryRun> {
    await db.collection(notificationsCollection).updateOne(
      { _id: doc._id, status: { $in: ['queued', 'deferred'] } },
      { $set: { status: reason === 'retry' ? 'queued' : 'deferred', dueAt: until, waitReason: reason, ...(attempts ? { attempts } : {}) } },
    );
    return { kind: 'wait', until };
  }

  async function deliver(tenantId: string, notificationId: string): Promise<DeliveryRun> {
    const db = store.forTenant(tenantId);
    const notifications = db.collection(notificationsCollection);
    const doc = await notifications.findById(notificationId);
    if (doc === null) return { kind: 'missing' };
    if (SETTLED_STATUSES.has(doc.status)) return { kind: 'settled', status: doc.status };

    const at = now();
    const [facts, recipient, active] = await Promise.all([tenantFacts(db), resolveRecipient(db, doc.recipient), connections.active(db)]);
    if (recipient === null) return settle(db, doc, 'failed', { code: 'no_recipient', message: 'the person no longer exists', permanent: true });

    const policy = doc.channels ? { ...facts.settings.delivery, fallbackBeyondPreferred: false } : facts.settings.delivery;
    const person = doc.channels ? { ...recipient.person, preferredChannels: doc.channels } : recipient.person;
    const plan = planDelivery({ person, now: at, tenantZone: recipient.quietZone ?? facts.timeZone, activeChannels: [...active.keys()], urgency: doc.urgency, policy });
    if (!plan.ok) {
      return plan.error.code === 'opted_out'
        ? settle(db, doc, 'opted_out', { code: 'opted_out', message: plan.error.message, permanent: true })
        : settle(db, doc, 'failed', { code: 'no_channel', message: plan.error.message, permanent: true });
    }
    if (doc.notBefore !== undefined && doc.notBefore > at) return wait(db, doc, doc.notBefore, 'not_before');
    if (plan.value.deferred) return wait(db, doc, plan.value.sendAt, 'quiet_hours');

    const attempts = [...doc.attempts];
    const maxRuns = plan.value.channels.length * facts.settings.retry.maxAttemptsPerChannel + 1;
    for (let run = 0; run < maxRuns; run += 1) {
      // An attempt still `sending` was cut short after (or before) its call: resend it with its key.
      let attempt = attempts.find((a) => a.outcome === 'sending');
      if (attempt === undefined) {
        const failed: DeliveryAttempt[] = attempts.map((a) => ({ channel: a.channel, at: a.finishedAt ?? a.startedAt, ...(a.error ? { error: a.error } : {}) }));
        const next = nextAttempt({ attempts: failed, channels: plan.value.channels, policy: facts.settings.retry, now: at });
        if (next.action === 'give_up') {
          const last = attempts.at(-1)?.error;
          return settle(db, doc, 'failed', last ?? { code: 'no_channel', message: 'no channel left to try', permanent: true });
        }
        if (next.action === 'retry' && next.at > at) return wait(db, doc, next.at, 'retry', attempts);
        const target = plan.value.targets.find((t) => t.channel === next.channel)!;
        const conn = active.get(next.channel)!;
        const n = attempts.length + 1;
        attempt = {
          n,
          channel: next.channel,
          to: normalizeAddress(next.channel, target.address) ?? target.address,
          connectionId: conn._id,
          connector: conn.connector,
          idempotencyKey: `${doc._id}:${n}`,
          outcome: 'sending',
          startedAt: at,
        };
        attempts.push(attempt);
        // The processed-key: written before the provider is called.
        const written = await notifications.updateOne(
          { _id: doc._id, status: { $in: ['queued', 'deferred'] }, attempts: { $size: n - 1 } },
          { $set: { attempts, status: 'queued', channel: attempt.channel, to: attempt.to, connectionId: attempt.connectionId }, $unset: { dueAt: true, waitReason: true } },
        );
        if (written === null) throw new Error(`notification ${doc._id} changed while sending; the job will run again`);
      }

      const outcome = await sendAttempt(db, doc, attempt, recipient, facts, active);
      if (outcome.ok) {
        attempt.outcome = 'sent';
        attempt.finishedAt = now();
        attempt.providerMessageId = outcome.messageId;
        const fresh = (await notifications.findById(doc._id)) ?? doc;
        const moved = notificationDeliveryUpdate(fresh, { status: 'sent', at: attempt.finishedAt });
        const update: Update = {
          $set: { attempts, channel: attempt.channel, to: attempt.to, connectionId: attempt.connectionId, providerMessageId: outcome.messageId, rendered: outcome.rendered, ...(moved ?? {}) },
          $addToSet: { providerMessageIds: outcome.messageId },
          $unset: { dueAt: true, waitReason: true, error: true },
        };
        if (moved?.error === undefined) delete (update.$set as Record<string, unknown>)['error'];
        const written = await notifications.updateOne({ _id: doc._id }, update);
        // A delivered invoice ends an earlier `invoice_undelivered` cause; the next sweep closes its escalation.
        if (isInvoiceDelivery(doc)) {
          await clearEscalationSignal(db, doc.milestoneId, 'invoiceUndeliveredAt');
          await recordOnInvoice(db, written ?? { ...fresh, attempts });
        }
        return { kind: 'settled', status: moved?.status ?? fresh.status };
      }
      if (outcome.unconfirmedRetryMs !== undefined) {
        // It may have gone out: the attempt stays open, so the next run sends it with the same key.
        logger.warn({ notificationId: doc._id, tenantId, channel: attempt.channel, attempt: attempt.n, message: outcome.error.message }, 'notification attempt unconfirmed; it runs again with its idempotency key');
        return wait(db, doc, new Date(now().getTime() + outcome.unconfirmedRetryMs), 'retry', attempts);
      }
      attempt.outcome = 'failed';
      attempt.finishedAt = now();
      attempt.error = outcome.error;
      logger.info({ notificationId: doc._id, tenantId, channel: attempt.channel, attempt: attempt.n, code: outcome.error.code, permanent: outcome.error.permanent }, 'notification attempt failed');
      if (outcome.error.optOut) await recordAddressOptOut(db, { channel: attempt.channel, address: attempt.to, source: 'provider', reason: outcome.error.message ?? outcome.error.code, at: attempt.finishedAt });
      await notifications.updateOne({ _id: doc._id }, { $set: { attempts } });
    }
    return settle(db, doc, 'failed', attempts.at(-1)?.error ?? { code: 'exhausted', message: 'every channel failed', permanent: true });
  }

  async function sendAttempt(
    db: TenantStore,
    doc: NotificationDoc,
    attempt: NotificationAttempt,
    recipient: ResolvedRecipient,
    facts: TenantFacts,
    active: Map<Channel, ConnectionDoc>,
  ): Promise<{ ok: true; messageId: string; rendered: NotificationDoc['rendered'] } | { ok: false; error: DeliveryError; unconfirmedRetryMs?: number }> {
    const conn = active.get(attempt.channel);
    if (conn === undefined || conn._id !== attempt.connectionId) {
      return { ok: false, error: { code: 'connection_gone', message: `connection ${attempt.connectionId} is no longer active for ${attempt.channel}`, permanent: false } };
    }
    const rendered = await render(db, doc, attempt.channel, recipient, facts);
    if (!rendered.ok) return rendered;
    const handle = connections.context(db, conn);
    if (!handle.ok) return { ok: false, error: { code: 'connection_unusable', message: handle.message, permanent: true } };
    const connector: Connector = handle.value.connector;
    const message = buildOutboundMessage({ doc, rendered: rendered.value, connector: conn.connector, to: attempt.to, idempotencyKey: attempt.idempotencyKey });
    try {
      const sent = await connector.sendMessage!(handle.value.context, message);
      const view = rendered.value;
      return {
        ok: true,
        messageId: sent.messageId,
        rendered: { channel: attempt.channel, locale: rendered.locale ?? 'en', ...(view.channel === 'email' ? { subject: view.subject } : {}), text: view.text },
      };
    } catch (err) {
      return { ok: false, error: deliveryErrorOf(err, conn.connector), ...(err instanceof UnconfirmedSendError ? { unconfirmedRetryMs: err.retryAfterMs } : {}) };
    }
  }

  async function sweep({ limit = 500 }: { limit?: number } = {}): Promise<NotifySweepResult> {
    const at = now();
    const queue = queues.get('notify');
    const result: NotifySweepResult = { released: 0, enqueued: 0 };
    const tenants = await store.platform(tenantsCollection).find({ status: 'active' }, { projection: { _id: 1 } });
    for (const { _id: tenantId } of tenants) {
      const due = await store
        .forTenant(tenantId)
        .collection(notificationsCollection)
        .find({ status: { $in: ['queued', 'deferred'] }, dueAt: { $lte: at } }, { sort: { dueAt: 1 }, limit, projection: { _id: 1, dueAt: 1, attempts: 1 } });
      for (const doc of due) {
        const job = await queue.getJob(doc._id);
        const state = job ? await job.getState() : 'missing';
        if (job && state === 'delayed') {
          await job.promote();
          result.released += 1;
        } else if (!job || state === 'completed' || state === 'unknown' || state === 'missing') {
          if (job) await job.remove().catch(() => undefined);
          await enqueueSend(queues, { tenantId, notificationId: doc._id });
          result.enqueued += 1;
        } else if (state === 'failed') {
          await job!.retry('failed');
          result.enqueued += 1;
        }
      }
    }
    return result;
  }

  return { deliver, sweep };
}

/**
 * Writes a settled invoice notification onto its invoice's `deliveries`: one entry per channel
 * tried (its latest attempt), or the failure when no channel could be tried.
 */
async function recordOnInvoice(db: TenantStore, doc: NotificationDoc, failure?: { at: Date; error: string }): Promise<void> {
  const prefix = `invoice:${doc.invoiceId}:`;
  if (doc.invoiceId === undefined || !doc.dedupeKey.startsWith(prefix)) return;
  const latest = new Map<string, NotificationAttempt>();
  for (const attempt of doc.attempts) if (attempt.outcome !== 'sending') latest.set(attempt.channel, attempt);
  const outcome: DeliveryOutcome = {
    key: doc.dedupeKey.slice(prefix.length),
    kind: doc.purpose === 'invoice' ? 'invoice' : 'reminder',
    notificationId: doc._id,
    channels: [...latest.values()].map((a) => ({
      channel: a.channel,
      to: a.to,
      status: a.outcome === 'sent' ? ('sent' as const) : ('failed' as const),
      at: a.finishedAt ?? a.startedAt,
      ...(a.outcome === 'failed' && a.error ? { error: a.error.message ?? a.error.code } : {}),
    })),
    ...(failure && latest.size === 0 ? { failure } : {}),
  };
  await recordInvoiceDelivery(db, doc.invoiceId, outcome);
}

/** A notification that delivers an invoice or its payment reminder for a milestone. */
function isInvoiceDelivery(doc: NotificationDoc): doc is NotificationDoc & { milestoneId: string; invoiceId: string } {
  return doc.invoiceId !== undefined && doc.milestoneId !== undefined && (doc.purpose === 'invoice' || doc.purpose === 'reminder');
}
