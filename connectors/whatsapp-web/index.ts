export { createWhatsAppWebConnector, whatsappWebConnector } from './whatsapp-web-connector.ts';
export { whatsappWebConfigSchema, whatsappWebCredentialsSchema, type WhatsAppWebConfig, type WhatsAppWebCredentials } from './whatsapp-web-settings.ts';
export { createWhatsAppWebSessions, type CreateGateway, type WhatsAppWebSessions } from './whatsapp-web-sessions.ts';
export { WhatsAppWebSession, type WhatsAppWebLogin } from './whatsapp-web-session.ts';
export { loadWhatsAppWebLibrary, WhatsAppWebClientGateway } from './whatsapp-web-client-gateway.ts';
export { CHROMIUM_ARGS, DEFAULT_CHROMIUM_PATH, whatsappWebClientOptions, type WhatsAppWebClientOptions } from './whatsapp-web-client-options.ts';
export type { GatewayAck, GatewayMessage, Unsubscribe, WhatsAppWebGateway, WhatsAppWebState } from './whatsapp-web-gateway.ts';
export { chatIdOf, phoneOfChatId } from './chat-id.ts';
export {
  isLoggedOut,
  notLinkedMessage,
  relinkReason,
  sessionNotRunningError,
  whatsAppWebCheckOf,
  type WhatsAppWebRecordedLink,
} from './whatsapp-web-link-state.ts';
export { deliveryStatusOfAck } from './map-ack.ts';
export type { DeliveryStatusUpdate, WhatsAppWebInboundMessage } from './message-events.ts';
