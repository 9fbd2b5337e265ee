export { startWhatsAppCloudFake } from './start-whatsapp-cloud-fake.ts';
export type { FakeTemplate, SentWhatsAppMessage, WhatsAppCloudFake, WhatsAppCloudFakeOptions, WhatsAppWebhookDelivery } from './start-whatsapp-cloud-fake.ts';
export { GRAPH_FAULTS, graphErrorBody, type GraphFault } from './graph-error.ts';
export { inboundMessagePayload, newWamid, statusPayload, type BusinessNumber, type InboundContent, type StatusError } from './webhook-payloads.ts';
