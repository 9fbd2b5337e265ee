/**
 * The webhook signature schemes a connector may declare; webhooks/verifiers has one verifier for
 * each (its `schemeIds` is this list).
 */
export const WEBHOOK_SCHEMES = [
  'standard-webhooks',
  'github',
  'jira',
  'meta',
  'intuit',
  'twilio',
  'razorpay',
  'stripe',
  'zoho-payments',
  'salesforce-outbound',
  'url-token',
] as const;

/** One signature scheme id, as stored on a connection and verified by webhooks/verifiers. */
export type WebhookScheme = (typeof WEBHOOK_SCHEMES)[number];

/** Narrows a string to a known scheme id. */
export function isWebhookScheme(value: unknown): value is WebhookScheme {
  return typeof value === 'string' && (WEBHOOK_SCHEMES as readonly string[]).includes(value);
}
