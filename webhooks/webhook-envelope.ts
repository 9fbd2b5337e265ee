import type { BaseDoc, CollectionDef } from '../core/store/index.ts';

/** Where an envelope is in its life: received until a worker settles it. */
export const ENVELOPE_STATUSES = ['received', 'processed', 'failed', 'ignored'] as const;
export type EnvelopeStatus = (typeof ENVELOPE_STATUSES)[number];

/** One received header; stored as pairs because header names may hold characters field names may not. */
export interface StoredHeader {
  name: string;
  value: string;
}

/**
 * One verified webhook exactly as it arrived. It is also the dedupe record: the unique index on
 * its `dedupeKey` (connection and event key) makes storing the event and remembering its id one write.
 */
export interface WebhookEnvelopeDoc extends BaseDoc {
  connectionId: string;
  connectorId: string;
  scheme: string;
  /** The provider's event id, or `sha256:<hex>` of the body when the provider sends none. */
  eventKey: string;
  eventKeySource: 'provider' | 'body';
  /** `<connectionId> <eventKey>` ({@link envelopeDedupeKey}): unique, so an event is stored once per connection. */
  dedupeKey: string;
  receivedAt: Date;
  /** The public URL the provider called (HUB_PUBLIC_URL, path and query), credential parameters removed. */
  url: string;
  /** Request headers with the signature (and other credential) headers dropped. */
  headers: StoredHeader[];
  contentType?: string;
  /** The raw bytes, base64. */
  body: string;
  size: number;
  verification: {
    ok: true;
    /** The id of the connection secret that matched, when one did. */
    secretId?: string;
    /** The time the provider signed, where the scheme signs one. */
    signedAt?: Date;
  };
  status: EnvelopeStatus;
  /** The BullMQ job id of the current run: the envelope id, then `<id>-r<n>` for the n-th replay. */
  jobId: string;
  /**
   * `receivedAt` in epoch milliseconds, present only while the envelope is `received`: the
   * sweeper's index covers unsettled envelopes alone, so it stays small and nothing settled is
   * ever scanned. A number, because the embedded store leaves dates out of sparse indexes.
   */
  pendingSinceMs?: number;
  /** When the sweeper last made sure this envelope's job exists; it looks again only much later. */
  sweptAt?: Date;
  replayCount: number;
  lastReplayedAt?: Date;
  /** Processing attempts across runs. */
  attempts: number;
  lastAttemptAt?: Date;
  /** The run that holds the envelope while it is processed; only that run may settle it. */
  runId?: string;
  settledAt?: Date;
  /** Why nothing was done (`ignored`) or what the handlers reported (`processed`). */
  outcome?: { reason?: string; handlers?: string[] };
  error?: { name: string; message: string; at: Date };
  /** The dedupe key must be kept at least until then (receipt + HUB_WEBHOOK_DEDUPE_HOURS). */
  dedupeUntil: Date;
  /** Set when the envelope settles; the TTL index removes it then. Unsettled envelopes never expire. */
  expiresAt?: Date;
}

export const webhookEnvelopesCollection: CollectionDef<WebhookEnvelopeDoc> = {
  name: 'webhook_envelopes',
  scope: 'tenant',
  // Most of an envelope's bytes; never queried, so the embedded store keeps them on disk.
  coldFields: ['body', 'headers'],
  indexes: [
    // One string field rather than (tenant, connection, event key): connection ids are unique
    // across tenants, and the embedded store compares a string far faster than a compound key.
    // Sparse, so envelopes stored before the field existed do not collide on its absence.
    { fields: { dedupeKey: 1 }, unique: true, sparse: true },
    // One number rather than (tenant, status, received): the embedded store compares it cheaply
    // and can scan a range of it, and settled envelopes stay out altogether.
    { fields: { pendingSinceMs: 1 }, sparse: true },
    // Sparse: unsettled envelopes have no expiry and stay out of this index altogether.
    { fields: { expiresAt: 1 }, expireAfterSeconds: 0, sparse: true },
  ],
};

/** The envelope's dedupe key: the connection id (which holds no space) then the event key. */
export function envelopeDedupeKey(connectionId: string, eventKey: string): string {
  return `${connectionId} ${eventKey}`;
}
