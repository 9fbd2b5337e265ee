/**
 * Every signature scheme the hub can verify, usable as `z.enum(schemeIds)`.
 * Connections store one of these ids; the registry maps each to its verifier.
 */
export const schemeIds = [
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

/** One signature scheme id. */
export type SchemeId = (typeof schemeIds)[number];

/** Narrows a stored string to a known scheme id. */
export function isSchemeId(value: unknown): value is SchemeId {
  return typeof value === 'string' && (schemeIds as readonly string[]).includes(value);
}
