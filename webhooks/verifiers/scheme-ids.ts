import { isWebhookScheme, WEBHOOK_SCHEMES, type WebhookScheme } from '../../connectors/index.ts';

/**
 * Every signature scheme the hub can verify, usable as `z.enum(schemeIds)`: the list connectors
 * declare from (connectors/sdk), which the registry maps one verifier each.
 */
export const schemeIds = WEBHOOK_SCHEMES;

/** One signature scheme id. */
export type SchemeId = WebhookScheme;

/** Narrows a stored string to a known scheme id. */
export const isSchemeId: (value: unknown) => value is SchemeId = isWebhookScheme;
