export { webhookConnector } from './webhook-connector.ts';
