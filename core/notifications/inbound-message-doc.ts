import type { BaseDoc, CollectionDef } from '../store/index.ts';
import type { Channel } from './channels.ts';

/** A message a person sent the hub, kept with who it was from and who handled it. */
export interface InboundMessageDoc extends BaseDoc {
  channel: Channel;
  connectionId: string;
  connector: string;
  providerMessageId: string;
  /** Canonical sender address. */
  from: string;
  personId?: string;
  text: string;
  subject?: string;
  inReplyTo?: string;
  contextId?: string;
  notificationId?: string;
  matchedBy?: 'in_reply_to' | 'latest_to_sender';
  receivedAt: Date;
  /** Set once every listener has seen it; a redelivery then skips them. */
  dispatchedAt?: Date;
  /** The listener that handled it, or `opt-out` when it was a STOP. */
  handledBy?: string;
  note?: string;
}

/** Inbound messages; `_id` derives from the connection and the provider's message id. */
export const inboundMessagesCollection: CollectionDef<InboundMessageDoc> = {
  name: 'inbound_messages',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, from: 1 } }, { fields: { tenantId: 1, notificationId: 1 } }],
};

const STOP_WORDS = /^\s*(?:stop|stopall|unsubscribe|opt[\s-]?out|cancel|end|quit|बंद|रोकें)\s*[.!]?\s*$/i;

/** True for a reply that asks for no more messages (STOP, UNSUBSCRIBE, बंद). */
export function isStopRequest(text: string): boolean {
  return STOP_WORDS.test(text);
}
