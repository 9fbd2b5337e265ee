import type { WebhookScheme } from './webhook-schemes.ts';

/** A received, already verified webhook as a connector parses it. */
export interface WebhookInput {
  /** Header names in lower case. */
  headers: Readonly<Record<string, string>>;
  /** The exact bytes received. */
  rawBody: Uint8Array;
  /** The public URL the provider called. */
  url?: string;
  receivedAt: Date;
}

/** One change a webhook reports. */
export interface WebhookChange {
  /** The provider's id for this event, when the payload carries one. */
  eventId?: string;
  /** The provider's event type, e.g. `jira:issue_updated`, `invoice.paid`. */
  type: string;
  /** The connector's object type the change is about, when it is about a record. */
  object?: string;
  /** The vendor id of that record. */
  id?: string;
  deleted?: boolean;
  /** When the change happened at the provider, ISO 8601 UTC. */
  occurredAt?: string;
  /** The record in the shape `pull` returns, when the event carries it whole; otherwise read it with `get`. */
  record?: Record<string, unknown>;
  /** The event payload (or the part of it about this change). */
  data: unknown;
}

/** Parsed changes, or why the body could not be read. */
export type WebhookParseResult =
  | { ok: true; changes: WebhookChange[] }
  | { ok: false; error: { code: 'invalid_body' | 'unsupported_event'; message: string } };

/** How one connection's webhooks are verified: the scheme and the verifier options. */
export interface WebhookSettings {
  scheme: WebhookScheme;
  options: Record<string, unknown>;
}
