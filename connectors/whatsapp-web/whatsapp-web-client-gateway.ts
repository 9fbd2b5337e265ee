import type { Client, Message } from 'whatsapp-web.js';
import { whatsappWebClientOptions, type WhatsAppWebClientOptions } from './whatsapp-web-client-options.ts';
import type { GatewayAck, GatewayMessage, Unsubscribe, WhatsAppWebGateway, WhatsAppWebState } from './whatsapp-web-gateway.ts';

type Library = typeof import('whatsapp-web.js');

/**
 * whatsapp-web.js, loaded on first use: it pulls in puppeteer, which a process that never links
 * WhatsApp Web should not pay for.
 */
export async function loadWhatsAppWebLibrary(): Promise<Library> {
  const loaded = (await import('whatsapp-web.js')) as Library & { default?: Library };
  return loaded.default ?? loaded;
}

class Listeners<T extends unknown[]> {
  readonly #set = new Set<(...args: T) => void>();
  add(cb: (...args: T) => void): Unsubscribe {
    this.#set.add(cb);
    return () => this.#set.delete(cb);
  }
  emit(...args: T): void {
    for (const cb of this.#set) cb(...args);
  }
}

/**
 * The real gateway: one whatsapp-web.js `Client` per connection, with `LocalAuth` keeping the
 * session under `<dataDir>/whatsapp-web/<connectionId>` and Debian's chromium (or
 * `HUB_CHROMIUM_PATH`) as the browser. It only translates; state rules live in the session above it.
 */
export class WhatsAppWebClientGateway implements WhatsAppWebGateway {
  /** The options the client is built with, checked at construction. */
  readonly options: WhatsAppWebClientOptions;
  #state: WhatsAppWebState = 'stopped';
  #client: Client | undefined;
  readonly #qr = new Listeners<[string]>();
  readonly #ready = new Listeners<[{ phone?: string }]>();
  readonly #stateChange = new Listeners<[WhatsAppWebState, string | undefined]>();
  readonly #message = new Listeners<[GatewayMessage]>();
  readonly #ack = new Listeners<[GatewayAck]>();

  constructor(settings: { dataDir: string; connectionId: string; chromiumPath?: string; deviceName?: string }) {
    this.options = whatsappWebClientOptions(settings);
  }

  get state(): WhatsAppWebState {
    return this.#state;
  }

  /** Builds the client without starting it: no browser is launched until `initialize()`. */
  async createClient(): Promise<Client> {
    const lib = await loadWhatsAppWebLibrary();
    return new lib.Client({
      authStrategy: new lib.LocalAuth({ dataPath: this.options.authDataPath }),
      puppeteer: { ...this.options.puppeteer, args: [...this.options.puppeteer.args] },
      webVersionCache: { type: 'local', path: this.options.webCachePath },
      deviceName: this.options.deviceName,
    });
  }

  async start(): Promise<void> {
    if (this.#client !== undefined) return;
    this.#setState('starting');
    const client = await this.createClient();
    this.#wire(client);
    this.#client = client;
    // initialize() resolves only once linked, which may take a person minutes: do not wait for it.
    client.initialize().catch((err: unknown) => this.#setState('disconnected', err instanceof Error ? err.message : String(err)));
  }

  onQr(cb: (qr: string) => void): Unsubscribe {
    return this.#qr.add(cb);
  }

  onReady(cb: (me: { phone?: string }) => void): Unsubscribe {
    return this.#ready.add(cb);
  }

  onStateChange(cb: (state: WhatsAppWebState, detail?: string) => void): Unsubscribe {
    return this.#stateChange.add(cb);
  }

  onMessage(cb: (message: GatewayMessage) => void): Unsubscribe {
    return this.#message.add(cb);
  }

  onAck(cb: (ack: GatewayAck) => void): Unsubscribe {
    return this.#ack.add(cb);
  }

  async requestPairingCode(phone: string): Promise<string> {
    return this.#started().requestPairingCode(phone);
  }

  async send(chatId: string, text: string, options: { quotedMessageId?: string } = {}): Promise<{ id: string; timestamp: number }> {
    const sent = await this.#started().sendMessage(chatId, text, options.quotedMessageId === undefined ? {} : { quotedMessageId: options.quotedMessageId });
    return { id: sent.id._serialized, timestamp: sent.timestamp };
  }

  async stop(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client !== undefined) await client.destroy();
    this.#setState('stopped');
  }

  #started(): Client {
    if (this.#client === undefined) throw new Error('whatsapp-web: the gateway is not started');
    return this.#client;
  }

  #setState(state: WhatsAppWebState, detail?: string): void {
    this.#state = state;
    this.#stateChange.emit(state, detail);
  }

  #wire(client: Client): void {
    client.on('qr', (qr: string) => {
      this.#setState('qr');
      this.#qr.emit(qr);
    });
    client.on('authenticated', () => this.#setState('authenticated'));
    client.on('auth_failure', (message: string) => this.#setState('auth_failed', message));
    client.on('ready', () => {
      this.#setState('ready');
      const user = client.info?.wid?.user;
      this.#ready.emit(user === undefined ? {} : { phone: user });
    });
    client.on('disconnected', (reason: unknown) => this.#setState('disconnected', String(reason)));
    client.on('message', (message: Message) => {
      void toGatewayMessage(message).then((m) => this.#message.emit(m));
    });
    client.on('message_ack', (message: Message, ack: number) => this.#ack.emit({ id: message.id._serialized, ack }));
  }
}

async function toGatewayMessage(message: Message): Promise<GatewayMessage> {
  let quotedMessageId: string | undefined;
  if (message.hasQuotedMsg) {
    try {
      quotedMessageId = (await message.getQuotedMessage())?.id._serialized;
    } catch {
      // The quoted message may be gone from the phone; the reply still counts, unthreaded.
    }
  }
  const selectedId = message.selectedButtonId ?? message.selectedRowId;
  return {
    id: message.id._serialized,
    from: message.from,
    to: message.to,
    body: message.body,
    timestamp: message.timestamp,
    fromMe: message.fromMe,
    type: String(message.type),
    ...(quotedMessageId === undefined ? {} : { quotedMessageId }),
    ...(selectedId === undefined ? {} : { selectedId }),
  };
}
