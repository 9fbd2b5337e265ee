/**
 * Where a WhatsApp Web link stands: `qr` waits for a phone to scan the code (or to enter a
 * pairing code), `authenticated` has a session and is loading chats, `ready` can send.
 * `auth_failed` means the stored session was refused; `disconnected` means the phone logged out
 * or the browser went away.
 */
export type WhatsAppWebState = 'stopped' | 'starting' | 'qr' | 'authenticated' | 'ready' | 'auth_failed' | 'disconnected';

/** A message as the gateway reports it, in WhatsApp Web's own terms. */
export interface GatewayMessage {
  /** Serialized message id, e.g. `false_919876543210@c.us_3EB0…`. */
  id: string;
  /** Chat id of the sender: `919876543210@c.us`, a group `…@g.us`, `status@broadcast`, a `…@lid`. */
  from: string;
  to: string;
  body: string;
  /** Seconds since the epoch. */
  timestamp: number;
  fromMe: boolean;
  /** whatsapp-web.js message type: `chat`, `image`, `buttons_response`, … */
  type: string;
  /** The serialized id of the message this one quotes (a swipe-reply). */
  quotedMessageId?: string;
  /** The id of a tapped button or list row. */
  selectedId?: string;
}

/** A delivery acknowledgement: -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played. */
export interface GatewayAck {
  id: string;
  ack: number;
}

/** Removes the listener it was returned for. */
export type Unsubscribe = () => void;

/**
 * The thin seam around whatsapp-web.js: everything the hub needs from a linked WhatsApp Web
 * session and nothing more, so all logic above it runs against an in-memory gateway in tests.
 */
export interface WhatsAppWebGateway {
  readonly state: WhatsAppWebState;
  /** Launches the browser and opens WhatsApp Web; resolves once it is loading, not when linked. */
  start(): Promise<void>;
  /** A new QR payload to show (WhatsApp rotates it about every 20 s). */
  onQr(cb: (qr: string) => void): Unsubscribe;
  /** Asks WhatsApp for an 8-character code to enter on the phone instead of scanning; `phone` is digits with country code. */
  requestPairingCode(phone: string): Promise<string>;
  /** Linked and loaded; `phone` is the linked account's number, digits with country code. */
  onReady(cb: (me: { phone?: string }) => void): Unsubscribe;
  onStateChange(cb: (state: WhatsAppWebState, detail?: string) => void): Unsubscribe;
  /** Sends text to a chat id (`919876543210@c.us`), optionally as a reply to a message. */
  send(chatId: string, text: string, options?: { quotedMessageId?: string }): Promise<{ id: string; timestamp: number }>;
  onMessage(cb: (message: GatewayMessage) => void): Unsubscribe;
  onAck(cb: (ack: GatewayAck) => void): Unsubscribe;
  /** Closes the browser; the session stays on disk for the next start. */
  stop(): Promise<void>;
}
