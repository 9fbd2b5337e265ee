import type { BaseDoc, CollectionDef } from '../store/index.ts';
import type { Channel, NotificationLocale, Urgency } from './channels.ts';
import type { DeliveryError } from './delivery-status.ts';
import type { TemplateKey } from './template-keys.ts';

/**
 * Where a notification is. `queued` waits for its next send (first or retry); `deferred` waits
 * for quiet hours or `notBefore` to end; `sent`, `delivered` and `read` follow the provider;
 * `failed` gave up on every channel; `opted_out` was stopped by the person's opt-out and never
 * sent; `cancelled` was withdrawn before it went out.
 */
export const NOTIFICATION_STATUSES = ['queued', 'deferred', 'sent', 'delivered', 'read', 'failed', 'opted_out', 'cancelled'] as const;

/** One of {@link NOTIFICATION_STATUSES}. */
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** Statuses after which the worker sends nothing more (callbacks may still move sent → read). */
export const SETTLED_STATUSES: ReadonlySet<NotificationStatus> = new Set(['sent', 'delivered', 'read', 'failed', 'opted_out', 'cancelled']);

/** Who a notification is for: a person of the tenant, an ad-hoc contact, or one address. */
export type NotificationRecipient =
  | { kind: 'person'; personId: string }
  | { kind: 'contact'; name?: string; email?: string; phone?: string; whatsapp?: string; locale?: string; channels?: Channel[] }
  | { kind: 'address'; channel: Channel; to: string; name?: string };

/** A file sent with an email notification; other channels send the text only. */
export interface NotificationAttachment {
  filename: string;
  contentType: string;
  /** The file, base64; kept with the notification so a retry sends the same bytes. */
  contentBase64: string;
}

/**
 * One send on one channel. It is written (`outcome: 'sending'`) before the provider is called,
 * so a run cut short after the call finds it and resends with the same idempotency key rather
 * than a new one.
 */
export interface NotificationAttempt {
  /** 1-based, across channels. */
  n: number;
  channel: Channel;
  /** The address used, in the channel's canonical form. */
  to: string;
  connectionId: string;
  connector: string;
  /** Passed to the provider as its idempotency key (email Message-ID, WhatsApp callback data). */
  idempotencyKey: string;
  outcome: 'sending' | 'sent' | 'failed';
  startedAt: Date;
  finishedAt?: Date;
  providerMessageId?: string;
  error?: DeliveryError;
}

/** A message the hub sent, or tried to: every one is kept with its outcome. */
export interface NotificationDoc extends BaseDoc {
  /** The caller's business key; the same key never makes a second notification. */
  dedupeKey: string;
  purpose: string;
  templateKey: TemplateKey;
  /** Asked-for language; the person's, then `en`, when absent. */
  locale?: NotificationLocale;
  urgency: Urgency;
  recipient: NotificationRecipient;
  /** Set for person recipients, to list a person's notifications. */
  personId?: string;
  /**
   * The values to render with, nested by the dots of their names (`milestone.title` is stored
   * as `{ milestone: { title } }`), since stored field names cannot hold dots.
   */
  values: Record<string, unknown>;
  /** Only these channels, in this order of preference, when given. */
  channels?: Channel[];
  milestoneId?: string;
  projectId?: string;
  probeId?: string;
  escalationId?: string;
  invoiceId?: string;
  /** A provider message id (or email Message-ID) this message answers, to thread onto it. */
  inReplyTo?: string;
  attachments?: NotificationAttachment[];
  notBefore?: Date;
  status: NotificationStatus;
  /** The channel and address of the latest attempt. */
  channel?: Channel;
  to?: string;
  connectionId?: string;
  /** The latest accepted send's provider id; `providerMessageIds` keeps every one. */
  providerMessageId?: string;
  providerMessageIds: string[];
  attempts: NotificationAttempt[];
  /** When the next send is due, while `queued` or `deferred`. */
  dueAt?: Date;
  /** Why the latest wait happened: quiet hours, `notBefore`, or a retry backoff. */
  waitReason?: 'quiet_hours' | 'not_before' | 'retry';
  queuedAt: Date;
  sentAt?: Date;
  deliveredAt?: Date;
  readAt?: Date;
  failedAt?: Date;
  /** Why the notification failed, was opted out or cancelled. */
  error?: DeliveryError;
  /** What the recipient saw, from the latest attempt that rendered. */
  rendered?: { channel: Channel; locale: NotificationLocale; subject?: string; text: string };
  /** Who asked for it (an API key, a probe run, an escalation). */
  requestedBy?: { kind: string; id: string };
}

/** Every notification of a tenant, with the indexes its lists and callbacks use. */
export const notificationsCollection: CollectionDef<NotificationDoc> = {
  name: 'notifications',
  scope: 'tenant',
  indexes: [
    { fields: { tenantId: 1, dedupeKey: 1 }, unique: true },
    { fields: { tenantId: 1, milestoneId: 1 } },
    { fields: { tenantId: 1, personId: 1 } },
    { fields: { tenantId: 1, status: 1, dueAt: 1 } },
    // Alone: the embedded store cannot index an array inside a compound key.
    { fields: { providerMessageIds: 1 } },
    { fields: { tenantId: 1, to: 1 } },
  ],
};
