import type { WebhookChange } from '../connectors/index.ts';
import type { TenantStore } from '../core/store/index.ts';

/** One verified, parsed webhook, handed to the inbound sync path. */
export interface InboundWebhookEvent {
  tenantId: string;
  connectionId: string;
  connectorId: string;
  /**
   * The envelope id: the processed-key. A run can be cut short after a side effect and run again,
   * so every side effect must be conditional on this key (record it in the same write).
   */
  envelopeId: string;
  /** The provider's event id, or `sha256:<hex>` of the body. */
  eventKey: string;
  receivedAt: Date;
  /** The changes the connector's `parseWebhook` read from the body. */
  changes: readonly WebhookChange[];
  /** 1 on the first run of this envelope, counting runs of replays too. */
  attempt: number;
}

/** What a handler did with an event; throwing means "try again later". */
export type InboundWebhookOutcome = { status: 'processed' } | { status: 'ignored'; reason: string };

/**
 * A function the inbound sync path registers to receive parsed webhooks. Handlers run in order;
 * the envelope is `processed` when any of them processed it, `ignored` otherwise.
 */
export interface InboundWebhookHandler {
  /** Shown in the envelope's outcome and in logs. */
  name: string;
  handle(event: InboundWebhookEvent, context: { db: TenantStore; now: Date }): Promise<InboundWebhookOutcome>;
}
