export { whatsappCloudConnector } from './whatsapp-cloud-connector.ts';
export { whatsappCloudConfigSchema, whatsappCloudCredentialsSchema, type WhatsAppCloudConfig, type WhatsAppCloudCredentials } from './whatsapp-cloud-settings.ts';
export { buildMessageRequest, whatsappRecipient, type ReplyButton, type WhatsAppOutboundMessage } from './build-message-request.ts';
export { sendWhatsAppCloud, type WhatsAppSentMessage } from './send-whatsapp-cloud.ts';
export { parseWhatsAppWebhook, type WhatsAppSystemError, type WhatsAppWebhookResult } from './parse-whatsapp-webhook.ts';
export { vendorErrorFromGraph, type GraphError } from './vendor-error-from-graph.ts';
export type { DeliveryStatusUpdate, WhatsAppInboundMessage } from './message-events.ts';
