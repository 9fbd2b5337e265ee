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
 * (tenant, connection, event key) makes storing the event and remembering its id one write.
 */
export interface WebhookEnvelopeDoc extends BaseDoc {
  connectionId: string;
  connectorId: string;
  scheme: string;
  /** The provider's event id, or `sha256:<hex>` of the body when the provider sends none. */
  eventKey: string;
  eventKeySource: 'provider' | 'body';
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
  indexes: [
    { fields: { tenantId: 1, connectionId: 1, eventKey: 1 }, unique: true },
    { fields: { tenantId: 1, status: 1, receivedAt: 1 } },
    // Sparse: unsettled envelopes have no expiry and stay out of this index altogether.
    { fields: { expiresAt: 1 }, expireAfterSeconds: 0, sparse: true },
  ],
};
