import { defineConnector, UnrecoverableVendorError, type CheckResult, type Connector, type ConnectorContext } from '../sdk/index.ts';
import { whatsappWebMessageObject } from './message-object.ts';
import { sessionNotRunningError, whatsAppWebCheckOf, type WhatsAppWebRecordedLink } from './whatsapp-web-link-state.ts';
import type { WhatsAppWebSession } from './whatsapp-web-session.ts';
import type { WhatsAppWebSessions } from './whatsapp-web-sessions.ts';
import { whatsappWebConfigSchema, whatsappWebCredentialsSchema } from './whatsapp-web-settings.ts';

/**
 * WhatsApp through a linked WhatsApp Web session (whatsapp-web.js). Unlike the other channels it
 * holds a live session per connection, so it works only in a process that runs `sessions`; the
 * registry lists the detached form (`whatsappWebConnector`) for its settings and forms, and the
 * process that runs sessions builds its own with them. Inbound messages and acks come from the
 * session (`onInbound`, `onStatus`), not from webhooks. A send to a connection whose session is
 * not running fails at once when its link is recorded as needing a new one or it was never linked,
 * and retryably otherwise (see `sessionNotRunningError`), as far as `sessions` knows the record.
 */
export function createWhatsAppWebConnector({ sessions }: { sessions?: WhatsAppWebSessions } = {}): Connector {
  /** What is recorded of the context's connection's link, or undefined when that cannot be told. */
  const recordedOf = async (ctx: Pick<ConnectorContext, 'tenantId' | 'connectionId'>): Promise<WhatsAppWebRecordedLink | undefined> => {
    const { tenantId, connectionId } = ctx;
    if (sessions?.recordedLink === undefined || tenantId === undefined || connectionId === undefined) return undefined;
    return sessions.recordedLink({ tenantId, connectionId });
  };
  const sessionOf = async (ctx: Pick<ConnectorContext, 'tenantId' | 'connectionId'>): Promise<WhatsAppWebSession> => {
    if (sessions === undefined) throw new UnrecoverableVendorError(0, '', { message: 'whatsapp-web: this process runs no WhatsApp Web sessions' });
    const session = ctx.connectionId === undefined ? undefined : sessions.get(ctx.connectionId);
    if (session === undefined) throw sessionNotRunningError(await recordedOf(ctx));
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
      return whatsAppWebCheckOf(login, await recordedOf(ctx));
    },
    capabilities: {
      messages: {
        send: async (ctx, message) => (await sessionOf(ctx)).send(message),
      },
    },
  });
}

/** The registry's entry: settings and forms; sending needs the form built with sessions. */
export const whatsappWebConnector = createWhatsAppWebConnector();
