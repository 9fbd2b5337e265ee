import type { ConnectorLogger } from '../sdk/index.ts';
import { WhatsAppWebClientGateway } from './whatsapp-web-client-gateway.ts';
import type { WhatsAppWebGateway } from './whatsapp-web-gateway.ts';
import { WhatsAppWebSession } from './whatsapp-web-session.ts';

/** The WhatsApp Web sessions of one hub process, one per connection. */
export interface WhatsAppWebSessions {
  /** The running session of a connection, or undefined. */
  get(connectionId: string): WhatsAppWebSession | undefined;
  /** The connection's session, created and started when it is not running. */
  open(connectionId: string, settings?: { deviceName?: string }): Promise<WhatsAppWebSession>;
  /** Stops a connection's session; its stored login stays for the next open. */
  close(connectionId: string): Promise<void>;
  /** Stops every session, for shutdown. */
  closeAll(): Promise<void>;
}

/** Builds the gateway of one connection; tests pass an in-memory one. */
export type CreateGateway = (connectionId: string, settings: { deviceName?: string }) => WhatsAppWebGateway;

/**
 * The sessions of this process. Each one drives a browser, so they are opened on demand (a link
 * request, or the process resuming the linked connections when it starts driving WhatsApp Web)
 * and belong to the process that runs them (in scale-out mode, one worker owns WhatsApp Web).
 * @default createGateway a real whatsapp-web.js client storing its session under `dataDir`
 */
export function createWhatsAppWebSessions({
  dataDir,
  chromiumPath,
  createGateway,
  now,
  logger,
}: {
  dataDir: string;
  chromiumPath?: string;
  createGateway?: CreateGateway;
  now?: () => Date;
  logger?: ConnectorLogger;
}): WhatsAppWebSessions {
  const build: CreateGateway =
    createGateway ?? ((connectionId, settings) => new WhatsAppWebClientGateway({ dataDir, connectionId, ...(chromiumPath === undefined ? {} : { chromiumPath }), ...settings }));
  const sessions = new Map<string, WhatsAppWebSession>();
  const opening = new Map<string, Promise<WhatsAppWebSession>>();

  return {
    get: (connectionId) => sessions.get(connectionId),
    open: (connectionId, settings = {}) => {
      const running = sessions.get(connectionId);
      if (running !== undefined) return Promise.resolve(running);
      const pending = opening.get(connectionId);
      if (pending !== undefined) return pending;
      const session = new WhatsAppWebSession({ connectionId, gateway: build(connectionId, settings), ...(now ? { now } : {}), ...(logger ? { logger } : {}) });
      const started = session.start().then(
        () => {
          sessions.set(connectionId, session);
          opening.delete(connectionId);
          return session;
        },
        (err: unknown) => {
          opening.delete(connectionId);
          throw err;
        },
      );
      opening.set(connectionId, started);
      return started;
    },
    close: async (connectionId) => {
      const session = sessions.get(connectionId);
      sessions.delete(connectionId);
      await session?.stop();
    },
    closeAll: async () => {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map((s) => s.stop()));
    },
  };
}
