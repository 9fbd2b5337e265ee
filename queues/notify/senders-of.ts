import { connectorRegistry, UnrecoverableVendorError, type Connector, type ConnectorRegistry } from '../../connectors/index.ts';
import { createWhatsAppWebConnector, type WhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import type { WhatsAppWebSends } from './whatsapp-web-sends.ts';

/**
 * The connectors notifications send through: the registry's, with WhatsApp Web bound to this
 * process's sessions, or to `sends` that reach the one process driving WhatsApp Web
 * (`routeWhatsAppWeb`). The registry's entry is detached and cannot send.
 */
export function sendersOf(connectors: Pick<ConnectorRegistry, 'get'> = connectorRegistry, whatsappWeb?: WhatsAppWebSessions | WhatsAppWebSends): { get(id: string): Connector | undefined } {
  const bound = whatsappWeb === undefined ? undefined : 'send' in whatsappWeb ? routedWhatsAppWebConnector(whatsappWeb) : createWhatsAppWebConnector({ sessions: whatsappWeb });
  return { get: (id) => (id === 'whatsapp-web' && bound !== undefined ? bound : connectors.get(id)) };
}

/** The WhatsApp Web connector with its sends going through `sends`. */
function routedWhatsAppWebConnector(sends: WhatsAppWebSends): Connector {
  return {
    ...createWhatsAppWebConnector(),
    sendMessage: async (ctx, message) => {
      if (ctx.tenantId === undefined || ctx.connectionId === undefined) throw new UnrecoverableVendorError(0, '', { message: 'whatsapp-web: a send needs its tenant and connection' });
      return sends.send({ tenantId: ctx.tenantId, connectionId: ctx.connectionId }, message);
    },
  };
}
