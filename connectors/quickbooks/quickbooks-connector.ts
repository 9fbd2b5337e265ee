import { defineConnector } from '../sdk/index.ts';
import { checkQuickBooks } from './check-quickbooks.ts';
import { parseIntuitWebhook } from './parse-intuit-webhook.ts';
import { pullQuickBooks } from './pull-quickbooks.ts';
import { getQuickBooks, pushQuickBooks } from './push-quickbooks.ts';
import { quickbooksRateLimits } from './quickbooks-limits.ts';
import { quickbooksObjects } from './quickbooks-objects.ts';
import { quickbooksConfigSchema, quickbooksCredentialsSchema } from './quickbooks-settings.ts';

/**
 * QuickBooks Online through node-quickbooks: invoices, payments and customers. Pulls read change
 * data capture, creates carry the idempotency key as Intuit's `requestid`, updates send the
 * SyncToken they read, and Intuit's change notifications arrive as webhooks (scheme `intuit`).
 * Intuit rotates refresh tokens; each new one is stored with `saveCredentials`.
 */
export const quickbooksConnector = defineConnector({
  id: 'quickbooks',
  displayName: 'QuickBooks Online',
  description: 'Invoices, payments and customers; change data capture polling, requestid idempotency and Intuit webhooks.',
  configSchema: quickbooksConfigSchema,
  credentialsSchema: quickbooksCredentialsSchema,
  objects: quickbooksObjects(),
  rateLimits: quickbooksRateLimits,
  outboundUrls: (config) => [
    { path: 'baseUrl', url: config.baseUrl },
    { path: 'tokenUrl', url: config.tokenUrl },
  ],
  check: checkQuickBooks,
  capabilities: {
    pull: pullQuickBooks,
    get: getQuickBooks,
    push: { operations: ['create', 'update', 'delete'], run: pushQuickBooks },
    webhook: { schemes: ['intuit'], parse: parseIntuitWebhook },
  },
});
