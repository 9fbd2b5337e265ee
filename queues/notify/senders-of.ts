import { connectorRegistry, UnrecoverableVendorError, type Connector, type ConnectorRegistry } from '../../connectors/index.ts';
import { createWhatsAppWebConnector } from '../../connectors/whatsapp-web/index.ts';
import type { WhatsAppWebSends } from './whatsapp-web-sends.ts';

/**
 * The connectors notifications send through: the registry's, with WhatsApp Web bound to `sends`:
 * this process's sessions when it is the one driving WhatsApp Web (`localWhatsAppWebSends`), or
 * those of the process that does (`routeWhatsAppWeb`). The registry's entry is detached and
 * cannot send.
 */
export function sendersOf(connectors: Pick<ConnectorRegistry, 'get'> = connectorRegistry, whatsappWeb?: WhatsAppWebSends): { get(id: string): Connector | undefined } {
  const bound = whatsappWeb === undefined ? undefined : routedWhatsAppWebConnector(whatsappWeb);
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
