import type { Channel } from '../../core/notifications/index.ts';
import type { TenantStore } from '../../core/store/index.ts';

/**
 * A message a person sent the hub (WhatsApp, SMS, an email reply), with the sender resolved to a
 * person where one holds the address, and the hub's notification it answers where that is known.
 */
export interface InboundMessageEvent {
  /** The hub's id for this inbound message (`inm_…`), stable across redeliveries: key side effects on it. */
  id: string;
  tenantId: string;
  channel: Channel;
  connectionId: string;
  /** The sender's address in canonical form: E.164 phone or lower-case email. */
  from: string;
  /** The live person holding that address, when exactly one does. */
  personId?: string;
  /** The text, with quoted earlier mail removed for email replies. */
  text: string;
  /** Email subject, when the channel has one. */
  subject?: string;
  /**
   * What the provider says this answers: a WhatsApp context message id, an email In-Reply-To
   * Message-ID. Raw, as received.
   */
  inReplyTo?: string;
  /** A tapped button id (WhatsApp) or the `X-Hub-Probe` token an email reply kept. */
  contextId?: string;
  /** The hub's notification this answers, with how it was found. */
  notificationId?: string;
  matchedBy?: 'in_reply_to' | 'latest_to_sender';
  /** Copied from that notification, to save listeners a lookup. */
  probeId?: string;
  milestoneId?: string;
  escalationId?: string;
  receivedAt: Date;
  providerMessageId: string;
}

/** What a listener did with a message; the first `handled` is recorded on the inbound message. */
export type InboundMessageOutcome = { status: 'handled'; note?: string } | { status: 'ignored'; reason?: string };

/**
 * Receives inbound messages. Called in registration order for each message; a throw makes the
 * webhook envelope retry later, so listeners must be idempotent on `message.id`.
 */
export interface InboundMessageListener {
  name: string;
  onInboundMessage(message: InboundMessageEvent, context: { db: TenantStore; now: Date }): Promise<InboundMessageOutcome>;
}

/** The listeners of one process; built once at start-up and shared by the workers. */
export interface InboundMessageBus {
  /** Adds a listener; returns a function that removes it. */
  onInboundMessage(listener: InboundMessageListener): () => void;
  listeners(): readonly InboundMessageListener[];
}

/** An empty {@link InboundMessageBus}. */
export function createInboundMessageBus(initial: readonly InboundMessageListener[] = []): InboundMessageBus {
  const listeners: InboundMessageListener[] = [...initial];
  return {
    onInboundMessage(listener) {
      listeners.push(listener);
      return () => {
        const at = listeners.indexOf(listener);
        if (at !== -1) listeners.splice(at, 1);
      };
    },
    listeners: () => [...listeners],
  };
}
