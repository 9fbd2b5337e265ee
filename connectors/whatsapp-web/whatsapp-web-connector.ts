import { defineConnector, TransientVendorError, UnrecoverableVendorError, type CheckResult, type Connector } from '../sdk/index.ts';
import { whatsappWebMessageObject } from './message-object.ts';
import type { WhatsAppWebSessions } from './whatsapp-web-sessions.ts';
import { whatsappWebConfigSchema, whatsappWebCredentialsSchema } from './whatsapp-web-settings.ts';

/**
 * WhatsApp through a linked WhatsApp Web session (whatsapp-web.js). Unlike the other channels it
 * holds a live session per connection, so it works only in a process that runs `sessions`; the
 * registry lists the detached form (`whatsappWebConnector`) for its settings and forms, and the
 * process that runs sessions builds its own with them. Inbound messages and acks come from the
 * session (`onInbound`, `onStatus`), not from webhooks.
 */
export function createWhatsAppWebConnector({ sessions }: { sessions?: WhatsAppWebSessions } = {}): Connector {
  const sessionOf = (connectionId: string | undefined) => {
    if (sessions === undefined) throw new UnrecoverableVendorError(0, '', { message: 'whatsapp-web: this process runs no WhatsApp Web sessions' });
    const session = connectionId === undefined ? undefined : sessions.get(connectionId);
    if (session === undefined) throw new TransientVendorError('whatsapp-web: the session of this connection is not running');
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
      if (login === undefined) return { ok: false, code: 'unreachable', message: 'the session is not running; open it to link the phone' };
      if (login.state === 'ready') return { ok: true, message: `linked as ${login.phone ?? 'the phone'}` };
      if (login.state === 'qr' || login.state === 'auth_failed') return { ok: false, code: 'auth_failed', message: 'not linked: scan the QR code or enter the pairing code on the phone' };
      return { ok: false, code: 'unreachable', message: `the link is ${login.state}` };
    },
    capabilities: {
      messages: {
        send: (ctx, message) => sessionOf(ctx.connectionId).send(message),
      },
    },
  });
}

/** The registry's entry: settings and forms; sending needs the form built with sessions. */
export const whatsappWebConnector = createWhatsAppWebConnector();
