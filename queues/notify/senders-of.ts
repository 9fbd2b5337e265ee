import { connectorRegistry, type Connector, type ConnectorRegistry } from '../../connectors/index.ts';
import { createWhatsAppWebConnector, type WhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';

/**
 * The connectors notifications send through: the registry's, with WhatsApp Web bound to this
 * process's sessions (the registry's entry is detached and cannot send).
 */
export function sendersOf(connectors: Pick<ConnectorRegistry, 'get'> = connectorRegistry, sessions?: WhatsAppWebSessions): { get(id: string): Connector | undefined } {
  const whatsappWeb = sessions === undefined ? undefined : createWhatsAppWebConnector({ sessions });
  return { get: (id) => (id === 'whatsapp-web' && whatsappWeb !== undefined ? whatsappWeb : connectors.get(id)) };
}
