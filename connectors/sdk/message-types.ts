/** A message to a person (email, WhatsApp, SMS). */
export interface OutboundMessage {
  /** Address in the channel's form: an email address, an E.164 phone number. */
  to: string;
  subject?: string;
  text: string;
  html?: string;
  /** Stable per logical message; a retried send must not reach the person twice. */
  idempotencyKey: string;
  /** Thread a reply onto an earlier message (email Message-ID, WhatsApp context id). */
  inReplyTo?: string;
  /** A named template, where the channel requires one (WhatsApp outside the 24 h window). */
  template?: { name: string; language: string; parameters: string[] };
}

/** The channel's answer to a send. */
export interface SentMessage {
  messageId: string;
  status?: 'queued' | 'sent' | 'delivered';
}

/** A message a person sent to the hub. */
export interface InboundMessage {
  messageId: string;
  from: string;
  to?: string;
  text: string;
  /** ISO 8601 UTC. */
  receivedAt: string;
  /** The id of the hub's message this answers, when the channel says. */
  inReplyTo?: string;
}

/** Asks for messages received since the cursor (for channels that are polled, such as IMAP). */
export interface ReceiveRequest {
  cursor: string | null;
  limit?: number;
}

/** One page of received messages. */
export interface ReceivePage {
  messages: InboundMessage[];
  nextCursor: string;
  done: boolean;
}
