import { defineConnector, UnrecoverableVendorError, type CheckResult, type Connector, type ConnectorContext } from '../sdk/index.ts';
import { whatsappWebMessageObject } from './message-object.ts';
import { sessionNotRunningError, whatsAppWebCheckOf } from './whatsapp-web-link-state.ts';
import type { WhatsAppWebSession } from './whatsapp-web-session.ts';
import type { WhatsAppWebSessions } from './whatsapp-web-sessions.ts';
import { whatsappWebConfigSchema, whatsappWebCredentialsSchema } from './whatsapp-web-settings.ts';

/**
 * WhatsApp through a linked WhatsApp Web session (whatsapp-web.js). Unlike the other channels it
 * holds a live session per connection, so it works only in a process that runs `sessions`; the
 * registry lists the detached form (`whatsappWebConnector`) for its settings and forms, and the
 * process that runs sessions builds its own with them. Inbound messages and acks come from the
 * session (`onInbound`, `onStatus`), not from webhooks. The connector knows only the sessions, not
 * what the hub records of a connection's link: a send to a connection whose session is not running
 * fails retryably here, and the hub sends through `localWhatsAppWebSends` (queues/notify), which
 * reads that record and fails at once when the connection needs linking. Likewise the hub's
 * connection test reads a WhatsApp Web connection's state itself (`checkWhatsAppWebConnection`);
 * this `check` tells only the link of the running session.
 */
export function createWhatsAppWebConnector({ sessions }: { sessions?: WhatsAppWebSessions } = {}): Connector {
  const sessionOf = (ctx: Pick<ConnectorContext, 'connectionId'>): WhatsAppWebSession => {
    if (sessions === undefined) throw new UnrecoverableVendorError(0, '', { message: 'whatsapp-web: this process runs no WhatsApp Web sessions' });
    const session = ctx.connectionId === undefined ? undefined : sessions.get(ctx.connectionId);
    if (session === undefined) throw sessionNotRunningError(undefined);
    return session;
  };

  return defineConnector({
    id: 'whatsapp-web',
    displayName: 'WhatsApp (linked device)',
    description: 'Sends and receives WhatsApp messages as a linked device of an existing WhatsApp number, linked by QR or pairing code.',
    configSchema: whatsappWebConfigSchema,
    credentialsSchema: whatsappWebCredentialsSchema,
    objects: { message: whatsappWebMessageObject },
    rateLimits: [{ requests: 1, perSeconds: 3, description: 'Paced like a person: WhatsApp bans numbers that send in bursts from linked devices' }],
    check: async (ctx): Promise<CheckResult> => {
      if (sessions === undefined) return { ok: false, code: 'misconfigured', message: 'this process runs no WhatsApp Web sessions' };
      const login = ctx.connectionId === undefined ? undefined : sessions.get(ctx.connectionId)?.login();
      return whatsAppWebCheckOf(login, undefined);
    },
    capabilities: {
      messages: {
        send: async (ctx, message) => sessionOf(ctx).send(message),
      },
    },
  });
}

/** The registry's entry: settings and forms; sending needs the form built with sessions. */
export const whatsappWebConnector = createWhatsAppWebConnector();
