export {
  connectionsCollection,
  webhookRoutesCollection,
  type ConnectionDoc,
  type ConnectionEvent,
  type StoredWebhookSecret,
  type WebhookRouteDoc,
} from './collections.ts';
export { CREDENTIALS_PURPOSE, MAX_WEBHOOK_SECRETS, WEBHOOK_SECRET_PURPOSE } from './secret-purposes.ts';
export { createConnection, sealCredentials, sealWebhookSecret, type NewConnection } from './create-connection.ts';
export { listConnections, loadConnection } from './load-connection.ts';
export { decryptCredentials, type CredentialsResult } from './decrypt-credentials.ts';
export { activeWebhookSecrets, type ActiveWebhookSecret } from './active-webhook-secrets.ts';
export { resolveWebhookRoute } from './resolve-webhook-route.ts';
export {
  deleteConnection,
  recordConnectionCheck,
  saveConnectionCredentials,
  updateConnection,
  type ConnectionPatch,
} from './update-connection.ts';
export { addWebhookSecret, removeWebhookSecret, type AddWebhookSecretResult } from './webhook-secrets.ts';
export { viewConnection, type ConnectionView } from './view-connection.ts';
