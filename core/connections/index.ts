export {
  connectionsCollection,
  webhookRoutesCollection,
  type ConnectionDoc,
  type StoredWebhookSecret,
  type WebhookRouteDoc,
} from './collections.ts';
