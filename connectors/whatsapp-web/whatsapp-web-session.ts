import { normalizeAddress } from '../../core/notifications/index.ts';
import { AuthExpiredError, TransientVendorError, UnrecoverableVendorError, type ConnectorLogger, type OutboundMessage, type SentMessage } from '../sdk/index.ts';
import { chatIdOf, phoneOfChatId } from './chat-id.ts';
import { deliveryStatusOfAck } from './map-ack.ts';
import type { DeliveryStatusUpdate, WhatsAppWebInboundMessage } from './message-events.ts';
import type { GatewayMessage, Unsubscribe, WhatsAppWebGateway, WhatsAppWebState } from './whatsapp-web-gateway.ts';
import { isLoggedOut, notLinkedMessage, relinkReason } from './whatsapp-web-link-state.ts';

/** What the API and the CLI show about a connection's link: the QR or pairing code to use, or who is linked. */
export interface WhatsAppWebLogin {
  state: WhatsAppWebState;
  /** The QR payload to render while `state` is `qr`; it changes about every 20 s. */
  qr?: string;
  /** A pairing code to type on the phone (`ABCD-EFGH`), once requested, while `state` is `qr`. */
  pairingCode?: string;
  /** The linked account's number (E.164), once ready. */
  phone?: string;
  /** When the current state began, ISO 8601 UTC. */
  since: string;
  /** Why the link failed or dropped, as the library said. */
  detail?: string;
}

/** What the session reports upward: people's messages, delivery of the hub's, and link changes. */
interface SessionListeners {
  inbound: Set<(message: WhatsAppWebInboundMessage) => void>;
  status: Set<(update: DeliveryStatusUpdate) => void>;
  login: Set<(login: WhatsAppWebLogin) => void>;
}

// Enough to absorb a retry storm after a crash; durable dedupe is the caller's processed-key.
const RECENT_SENDS = 1000;
const NOT_LINKED: ReadonlySet<WhatsAppWebState> = new Set(['qr', 'auth_failed']);

/**
 * One connection's WhatsApp Web link, above the gateway: login state for the API and CLI (QR or
 * pairing code), sending with the hub's message shape and named errors, inbound messages from
 * one-to-one chats mapped to E.164, and acks mapped to delivery statuses.
 */
export class WhatsAppWebSession {
  readonly connectionId: string;
  readonly #gateway: WhatsAppWebGateway;
  readonly #now: () => Date;
  readonly #logger: ConnectorLogger | undefined;
  #login: WhatsAppWebLogin;
  readonly #listeners: SessionListeners = { inbound: new Set(), status: new Set(), login: new Set() };
  readonly #sentByKey = new Map<string, SentMessage>();
  readonly #sendingByKey = new Map<string, Promise<SentMessage>>();
  readonly #recipients = new Map<string, string>();
  readonly #unsubscribe: Unsubscribe[] = [];

  constructor({ connectionId, gateway, now = () => new Date(), logger }: { connectionId: string; gateway: WhatsAppWebGateway; now?: () => Date; logger?: ConnectorLogger }) {
    this.connectionId = connectionId;
    this.#gateway = gateway;
    this.#now = now;
    this.#logger = logger;
    this.#login = { state: gateway.state, since: now().toISOString() };
    this.#unsubscribe.push(
      // `qr` and `ready` are taken from onQr and onReady, which carry the code and the number.
      gateway.onStateChange((state, detail) => {
        if (state !== 'qr' && state !== 'ready') this.#update({ state, ...(detail === undefined ? {} : { detail }) });
      }),
      gateway.onQr((qr) => this.#update({ state: 'qr', qr })),
      gateway.onReady(({ phone }) => this.#update({ state: 'ready', ...(phone === undefined ? {} : { phone: `+${phone}` }) })),
      gateway.onMessage((message) => this.#onMessage(message)),
      gateway.onAck(({ id, ack }) => this.#onAck(id, ack)),
    );
  }

  /** The link as it stands now. */
  login(): WhatsAppWebLogin {
    return { ...this.#login };
  }

  /** Starts the browser; the login state then moves to `qr` (new link) or `authenticated` (stored session). */
  async start(): Promise<void> {
    await this.#gateway.start();
  }

  /** Closes the browser and stops listening; the stored session stays on disk. */
  async stop(): Promise<void> {
    for (const off of this.#unsubscribe.splice(0)) off();
    await this.#gateway.stop();
    this.#update({ state: 'stopped' });
  }

  /**
   * Asks for a pairing code to link by typing it on the phone (WhatsApp → Linked devices → Link
   * with phone number) instead of scanning. Only while the QR stage is showing.
   */
  async requestPairingCode(phone: string): Promise<string> {
    const e164 = normalizeAddress('whatsapp', phone);
    if (e164 === null) throw new UnrecoverableVendorError(0, '', { message: `whatsapp-web: ${JSON.stringify(phone.slice(0, 40))} is not a phone number` });
    if (this.#login.state !== 'qr') throw new TransientVendorError(`whatsapp-web: a pairing code can be requested only while linking (the link is ${this.#login.state})`);
    const raw = await this.#gateway.requestPairingCode(e164.slice(1));
    const code = /^[A-Z0-9]{8}$/i.test(raw) ? `${raw.slice(0, 4)}-${raw.slice(4)}`.toUpperCase() : raw;
    this.#update({ state: 'qr', pairingCode: code });
    return code;
  }

  /**
   * Sends text to a phone number. A message sent before with the same idempotency key in this
   * session returns its first answer, and one still being sent is joined rather than sent again;
   * across restarts that is the caller's processed-key, since WhatsApp has no idempotency of its
   * own. Not linked, or logged out by the phone → AuthExpiredError (someone must scan); linked but
   * not ready → TransientVendorError.
   */
  async send(message: OutboundMessage): Promise<SentMessage> {
    const chatId = chatIdOf(message.to);
    if (chatId === undefined) throw new UnrecoverableVendorError(0, '', { message: `whatsapp-web: "to" is not a phone number: ${JSON.stringify(message.to.slice(0, 40))}` });
    if (message.text.trim() === '') throw new UnrecoverableVendorError(0, '', { message: 'whatsapp-web: the text is empty' });
    const earlier = this.#sentByKey.get(message.idempotencyKey);
    if (earlier !== undefined) return earlier;
    const sending = this.#sendingByKey.get(message.idempotencyKey);
    if (sending !== undefined) return sending;
    const started = this.#sendOnce(chatId, message);
    this.#sendingByKey.set(message.idempotencyKey, started);
    try {
      return await started;
    } finally {
      this.#sendingByKey.delete(message.idempotencyKey);
    }
  }

  async #sendOnce(chatId: string, message: OutboundMessage): Promise<SentMessage> {
    const { state } = this.#login;
    if (NOT_LINKED.has(state)) throw new AuthExpiredError(`whatsapp-web: not linked (${state}); scan the QR code or enter a pairing code on the phone`);
    if (isLoggedOut(this.#login)) throw new AuthExpiredError(`whatsapp-web: ${notLinkedMessage(relinkReason(this.#login))}`);
    if (state !== 'ready') throw new TransientVendorError(`whatsapp-web: the link is ${state}, not ready to send`);
    let sent: { id: string };
    try {
      sent = await this.#gateway.send(chatId, message.text, message.inReplyTo === undefined ? {} : { quotedMessageId: message.inReplyTo });
    } catch (err) {
      throw new TransientVendorError(`whatsapp-web: sending failed (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
    const result: SentMessage = { messageId: sent.id, status: 'queued' };
    this.#sentByKey.set(message.idempotencyKey, result);
    this.#recipients.set(sent.id, `+${chatId.slice(0, -'@c.us'.length)}`);
    if (this.#sentByKey.size > RECENT_SENDS) {
      const oldest = this.#sentByKey.entries().next().value!;
      this.#sentByKey.delete(oldest[0]);
      this.#recipients.delete(oldest[1].messageId);
    }
    return result;
  }

  onInbound(cb: (message: WhatsAppWebInboundMessage) => void): Unsubscribe {
    this.#listeners.inbound.add(cb);
    return () => this.#listeners.inbound.delete(cb);
  }

  onStatus(cb: (update: DeliveryStatusUpdate) => void): Unsubscribe {
    this.#listeners.status.add(cb);
    return () => this.#listeners.status.delete(cb);
  }

  onLoginChange(cb: (login: WhatsAppWebLogin) => void): Unsubscribe {
    this.#listeners.login.add(cb);
    return () => this.#listeners.login.delete(cb);
  }

  #update(next: Omit<WhatsAppWebLogin, 'since'>): void {
    const previous = this.#login;
    const stays = next.state === previous.state;
    // The QR and pairing code belong to the linking stage, the number to the linked one; each
    // survives repeated reports of the same state.
    const qr = next.state === 'qr' ? (next.qr ?? (stays ? previous.qr : undefined)) : undefined;
    const pairingCode = next.state === 'qr' ? (next.pairingCode ?? (stays ? previous.pairingCode : undefined)) : undefined;
    const phone = next.state === 'ready' ? (next.phone ?? (stays ? previous.phone : undefined)) : undefined;
    const login: WhatsAppWebLogin = {
      state: next.state,
      since: stays ? previous.since : this.#now().toISOString(),
      ...(qr === undefined ? {} : { qr }),
      ...(pairingCode === undefined ? {} : { pairingCode }),
      ...(phone === undefined ? {} : { phone }),
      ...(next.detail === undefined ? {} : { detail: next.detail }),
    };
    if (JSON.stringify(login) === JSON.stringify(previous)) return;
    this.#login = login;
    for (const cb of this.#listeners.login) cb({ ...login });
  }

  #onMessage(message: GatewayMessage): void {
    if (message.fromMe) return;
    const from = phoneOfChatId(message.from);
    if (from === undefined) {
      this.#logger?.debug({ connectionId: this.connectionId, chat: message.from.replace(/^\d+/, '…') }, 'whatsapp-web: message outside a one-to-one chat ignored');
      return;
    }
    const to = phoneOfChatId(message.to) ?? this.#login.phone;
    const inbound: WhatsAppWebInboundMessage = {
      messageId: message.id,
      from,
      ...(to === undefined ? {} : { to }),
      text: message.body,
      receivedAt: new Date(message.timestamp * 1000).toISOString(),
      ...(message.quotedMessageId === undefined ? {} : { inReplyTo: message.quotedMessageId }),
      ...(message.selectedId === undefined ? {} : { contextId: message.selectedId }),
      kind: message.type,
    };
    for (const cb of this.#listeners.inbound) cb(inbound);
  }

  #onAck(id: string, ack: number): void {
    const status = deliveryStatusOfAck(ack);
    if (status === undefined) return;
    const recipient = this.#recipients.get(id);
    const update: DeliveryStatusUpdate = {
      messageId: id,
      status,
      ...(status === 'failed' ? { error: { code: 'ACK_ERROR', message: 'WhatsApp Web reported the message as not sent', permanent: false } } : {}),
      occurredAt: this.#now().toISOString(),
      ...(recipient === undefined ? {} : { recipient }),
    };
    for (const cb of this.#listeners.status) cb(update);
  }
}
