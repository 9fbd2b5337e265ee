import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebhookChange } from '../../connectors/index.ts';
import {
  inboundMessagesCollection,
  isStopRequest,
  normalizeAddress,
  notificationDeliveryUpdate,
  notificationsCollection,
  type Channel,
  type DeliveryError,
  type DeliveryStatus,
  type InboundMessageDoc,
  type NotificationDoc,
} from '../../core/notifications/index.ts';
import { peopleCollection } from '../../core/people/index.ts';
import { DuplicateKeyError, type TenantStore } from '../../core/store/index.ts';
import type { InboundWebhookHandler, InboundWebhookOutcome } from '../../webhooks/index.ts';
import { channelOfConnector } from './channel-of-connector.ts';
import type { InboundMessageBus, InboundMessageEvent } from './inbound-message.ts';
import { recordAddressOptOut } from './opt-outs.ts';

/** A provider's delivery report, as every messaging connector parses it into `message.status`. */
interface StatusData {
  messageId: string;
  status: DeliveryStatus;
  error?: DeliveryError;
  occurredAt: string;
  recipient?: string;
  /** WhatsApp Cloud's `biz_opaque_callback_data`: the attempt's idempotency key. */
  reference?: string;
}

/** An inbound message, as every messaging connector parses it into `message.received`. */
interface ReceivedData {
  messageId: string;
  from: string;
  text: string;
  receivedAt: string;
  inReplyTo?: string;
  contextId?: string;
  subject?: string;
  references?: string[];
}

/** A report about a message the hub may not have recorded yet is retried for this long. */
const UNKNOWN_STATUS_GRACE_MS = 120_000;
/** Replies without a thread id are matched to the latest message sent to the sender this recently. */
const LATEST_MATCH_MS = 14 * 24 * 3600_000;

/**
 * The notify side of the webhook pipeline. `message.status` reports move notifications forward
 * (never back); `message.received` messages are stored once, their sender resolved to a person,
 * the notification they answer found, STOP recorded as an opt-out, and everything else handed to
 * the inbound-message listeners.
 */
export function createNotifyWebhookHandler(deps: { inbound?: InboundMessageBus; logger: Logger }): InboundWebhookHandler {
  return {
    name: 'notify',
    async handle(event, { db, now }): Promise<InboundWebhookOutcome> {
      const channel = channelOfConnector(event.connectorId);
      if (channel === undefined) return { status: 'ignored', reason: 'not a messaging connection' };
      let processed = 0;
      for (const change of event.changes) {
        if (change.type === 'message.status') {
          if (await applyStatus(db, change, now)) processed += 1;
        } else if (change.type === 'message.received') {
          const ok = await receive(db, change, { channel, connectionId: event.connectionId, connector: event.connectorId, now, tenantId: event.tenantId });
          if (ok) processed += 1;
        }
      }
      return processed > 0 ? { status: 'processed' } : { status: 'ignored', reason: 'no status or message the hub knows' };
    },
  };

  async function applyStatus(db: TenantStore, change: WebhookChange, now: Date): Promise<boolean> {
    const data = change.data as unknown as StatusData;
    if (typeof data?.messageId !== 'string' || typeof data.status !== 'string') return false;
    const notifications = db.collection(notificationsCollection);
    let doc = await notifications.findOne({ providerMessageIds: data.messageId });
    if (doc === null && typeof data.reference === 'string') {
      const match = /^(ntf_[0-9a-f]{32}):\d+$/.exec(data.reference);
      if (match) doc = await notifications.findById(match[1]!);
    }
    const at = parseDate(data.occurredAt) ?? now;
    if (doc === null) {
      // The send may still be recording its provider id; a report that young is worth another look.
      if (now.getTime() - at.getTime() < UNKNOWN_STATUS_GRACE_MS) throw new Error(`no notification for provider message ${data.messageId} yet`);
      return false;
    }
    for (let tries = 0; tries < 5; tries += 1) {
      const moved = notificationDeliveryUpdate(doc, { status: data.status, at, ...(data.error ? { error: data.error } : {}) });
      if (moved === null) break;
      const written = await notifications.updateOne({ _id: doc._id, version: doc.version }, { $set: moved });
      if (written !== null) break;
      doc = await notifications.findById(doc._id);
      if (doc === null) return false;
    }
    if (data.error?.optOut && doc.to !== undefined && doc.channel !== undefined) {
      await recordAddressOptOut(db, { channel: doc.channel, address: doc.to, source: 'provider', reason: data.error.message ?? data.error.code, at });
    }
    return true;
  }

  async function receive(
    db: TenantStore,
    change: WebhookChange,
    where: { channel: Channel; connectionId: string; connector: string; now: Date; tenantId: string },
  ): Promise<boolean> {
    const data = change.data as unknown as ReceivedData;
    if (typeof data?.messageId !== 'string' || typeof data.from !== 'string') return false;
    // Twilio carries WhatsApp as well as SMS; its sender says which.
    const channel: Channel = where.connector === 'twilio' && /^whatsapp:/i.test(data.from) ? 'whatsapp' : where.channel;
    const from = normalizeAddress(channel, data.from) ?? data.from.trim().toLowerCase();
    const inbound = db.collection(inboundMessagesCollection);
    const id = `inm_${createHash('sha256').update(`${where.connectionId}\u0000${data.messageId}`).digest('hex').slice(0, 32)}`;

    let doc = await inbound.findById(id);
    if (doc === null) {
      const notification = await answeredNotification(db, data, from, where.now);
      const personId = (await personOf(db, channel, from)) ?? notification?.doc.personId;
      const fresh: InboundMessageDoc = {
        _id: id,
        channel,
        connectionId: where.connectionId,
        connector: where.connector,
        providerMessageId: data.messageId,
        from,
        text: typeof data.text === 'string' ? data.text : '',
        receivedAt: parseDate(data.receivedAt) ?? where.now,
        ...(personId !== undefined ? { personId } : {}),
        ...(typeof data.subject === 'string' ? { subject: data.subject } : {}),
        ...(typeof data.inReplyTo === 'string' ? { inReplyTo: data.inReplyTo } : {}),
        ...(typeof data.contextId === 'string' ? { contextId: data.contextId } : {}),
        ...(notification ? { notificationId: notification.doc._id, matchedBy: notification.by } : {}),
      } as InboundMessageDoc;
      try {
        doc = await inbound.insert(fresh);
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
        doc = await inbound.findById(id);
      }
      if (doc === null) return false;
    }
    if (doc.dispatchedAt !== undefined) return true;

    if (isStopRequest(doc.text)) {
      await recordAddressOptOut(db, { channel, address: from, all: true, source: 'reply', reason: `replied ${doc.text.trim()}`, at: where.now });
      await inbound.updateOne({ _id: id }, { $set: { dispatchedAt: where.now, handledBy: 'opt-out' } });
      return true;
    }

    const notification = doc.notificationId !== undefined ? await db.collection(notificationsCollection).findById(doc.notificationId) : null;
    const message: InboundMessageEvent = {
      id: doc._id,
      tenantId: where.tenantId,
      channel: doc.channel,
      connectionId: doc.connectionId,
      from: doc.from,
      text: doc.text,
      receivedAt: doc.receivedAt,
      providerMessageId: doc.providerMessageId,
      ...(doc.personId !== undefined ? { personId: doc.personId } : {}),
      ...(doc.subject !== undefined ? { subject: doc.subject } : {}),
      ...(doc.inReplyTo !== undefined ? { inReplyTo: doc.inReplyTo } : {}),
      ...(doc.contextId !== undefined ? { contextId: doc.contextId } : {}),
      ...(doc.notificationId !== undefined ? { notificationId: doc.notificationId, ...(doc.matchedBy ? { matchedBy: doc.matchedBy } : {}) } : {}),
      ...(notification?.probeId !== undefined ? { probeId: notification.probeId } : {}),
      ...(notification?.milestoneId !== undefined ? { milestoneId: notification.milestoneId } : {}),
      ...(notification?.escalationId !== undefined ? { escalationId: notification.escalationId } : {}),
    };
    let handledBy: string | undefined;
    let note: string | undefined;
    for (const listener of deps.inbound?.listeners() ?? []) {
      const outcome = await listener.onInboundMessage(message, { db, now: where.now });
      if (outcome.status === 'handled' && handledBy === undefined) {
        handledBy = listener.name;
        note = outcome.note;
      }
    }
    if (handledBy === undefined) deps.logger.info({ tenantId: where.tenantId, inboundMessageId: id, channel }, 'inbound message not handled by any listener');
    await inbound.updateOne(
      { _id: id },
      { $set: { dispatchedAt: where.now, ...(handledBy !== undefined ? { handledBy } : {}), ...(note !== undefined ? { note } : {}) } },
    );
    return true;
  }
}

/** The hub's notification a message answers: by its thread ids, else the latest one sent to the sender. */
async function answeredNotification(db: TenantStore, data: ReceivedData, from: string, now: Date): Promise<{ doc: NotificationDoc; by: 'in_reply_to' | 'latest_to_sender' } | null> {
  const notifications = db.collection(notificationsCollection);
  const threadIds = [data.inReplyTo, ...(Array.isArray(data.references) ? [...data.references].reverse() : [])].filter((v): v is string => typeof v === 'string' && v !== '');
  for (const threadId of threadIds) {
    const doc = await notifications.findOne({ providerMessageIds: threadId });
    if (doc !== null) return { doc, by: 'in_reply_to' };
  }
  const latest = await notifications.findOne(
    { to: from, status: { $in: ['sent', 'delivered', 'read'] }, sentAt: { $gte: new Date(now.getTime() - LATEST_MATCH_MS) } },
    { sort: { sentAt: -1 } },
  );
  return latest === null ? null : { doc: latest, by: 'latest_to_sender' };
}

/** The one live person holding an address; undefined when none or several do. */
async function personOf(db: TenantStore, channel: Channel, address: string): Promise<string | undefined> {
  const filter = channel === 'email' ? { email: address } : { $or: [{ phone: address }, { whatsapp: address }] };
  const people = await db.collection(peopleCollection).find({ ...filter, deletedAt: { $exists: false } }, { limit: 2, projection: { _id: 1 } });
  return people.length === 1 ? people[0]!._id : undefined;
}

function parseDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
