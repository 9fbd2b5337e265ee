import type { GatewayAck, GatewayMessage, Unsubscribe, WhatsAppWebGateway, WhatsAppWebState } from '../../connectors/whatsapp-web/index.ts';

function listeners<T extends unknown[]>() {
  const set = new Set<(...args: T) => void>();
  return {
    add: (cb: (...args: T) => void): Unsubscribe => {
      set.add(cb);
      return () => set.delete(cb);
    },
    emit: (...args: T) => {
      for (const cb of set) cb(...args);
    },
  };
}

/**
 * An in-memory WhatsApp Web: the test plays the phone and WhatsApp's servers (shows a QR, links,
 * delivers messages and acks) and sees what the hub sent.
 */
export class FakeWhatsAppWebGateway implements WhatsAppWebGateway {
  state: WhatsAppWebState = 'stopped';
  readonly sent: { chatId: string; text: string; quotedMessageId?: string; id: string }[] = [];
  readonly pairingRequests: string[] = [];
  starts = 0;
  /** When set, the next send rejects with it. */
  failNextSend: Error | undefined;
  #sequence = 0;
  readonly #qr = listeners<[string]>();
  readonly #ready = listeners<[{ phone?: string }]>();
  readonly #stateChange = listeners<[WhatsAppWebState, string | undefined]>();
  readonly #message = listeners<[GatewayMessage]>();
  readonly #ack = listeners<[GatewayAck]>();

  readonly #onStart: 'qr' | 'restore';

  /** What start() leads to: a new link shows a QR, a stored session comes back on its own. */
  constructor(onStart: 'qr' | 'restore' = 'qr') {
    this.#onStart = onStart;
  }

  async start(): Promise<void> {
    this.starts += 1;
    this.#set('starting');
    if (this.#onStart === 'qr') this.showQr('2@fakeQrPayload,one');
    else {
      this.#set('authenticated');
      this.link('919000000002');
    }
  }
  async stop(): Promise<void> {
    this.#set('stopped');
  }
  onQr = (cb: (qr: string) => void) => this.#qr.add(cb);
  onReady = (cb: (me: { phone?: string }) => void) => this.#ready.add(cb);
  onStateChange = (cb: (state: WhatsAppWebState, detail?: string) => void) => this.#stateChange.add(cb);
  onMessage = (cb: (message: GatewayMessage) => void) => this.#message.add(cb);
  onAck = (cb: (ack: GatewayAck) => void) => this.#ack.add(cb);

  async requestPairingCode(phone: string): Promise<string> {
    this.pairingRequests.push(phone);
    return 'K7QX9M2P';
  }

  async send(chatId: string, text: string, options: { quotedMessageId?: string } = {}): Promise<{ id: string; timestamp: number }> {
    const failure = this.failNextSend;
    this.failNextSend = undefined;
    if (failure) throw failure;
    this.#sequence += 1;
    const id = `true_${chatId}_3EB0${String(this.#sequence).padStart(16, '0')}`;
    this.sent.push({ chatId, text, id, ...(options.quotedMessageId === undefined ? {} : { quotedMessageId: options.quotedMessageId }) });
    return { id, timestamp: 1_743_400_000 + this.#sequence };
  }

  /** WhatsApp Web shows (or rotates) the QR code. */
  showQr(payload: string): void {
    this.#set('qr');
    this.#qr.emit(payload);
  }
  /** The phone scanned the code (or entered the pairing code). */
  link(phone = '919000000002'): void {
    this.#set('authenticated');
    this.#set('ready');
    this.#ready.emit({ phone });
  }
  disconnect(reason = 'LOGOUT'): void {
    this.#set('disconnected', reason);
  }
  failAuth(reason = 'session refused'): void {
    this.#set('auth_failed', reason);
  }
  deliver(message: Partial<GatewayMessage> & Pick<GatewayMessage, 'from' | 'body'>): void {
    this.#sequence += 1;
    this.#message.emit({ id: `false_${message.from}_3EB1${this.#sequence}`, to: '919000000002@c.us', timestamp: 1_743_400_500, fromMe: false, type: 'chat', ...message });
  }
  ack(id: string, ack: number): void {
    this.#ack.emit({ id, ack });
  }

  #set(state: WhatsAppWebState, detail?: string): void {
    this.state = state;
    this.#stateChange.emit(state, detail);
  }
}

/** One gateway per connection, made by `make` on first use and kept: `gatewayOf` for a sessions' `createGateway`, `gateways` to reach them. */
export function gatewaysBy<G extends WhatsAppWebGateway>(make: (connectionId: string) => G): { gateways: Map<string, G>; gatewayOf: (connectionId: string) => G } {
  const gateways = new Map<string, G>();
  const gatewayOf = (connectionId: string): G => {
    let gateway = gateways.get(connectionId);
    if (gateway === undefined) {
      gateway = make(connectionId);
      gateways.set(connectionId, gateway);
    }
    return gateway;
  };
  return { gateways, gatewayOf };
}
