import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** Intuit's OAuth 2.0 token endpoint, where refresh tokens are exchanged. */
export const INTUIT_TOKEN_URL = 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer';

/** A QuickBooks Online connection: which company (realm), on which API host. */
export const quickbooksConfigSchema = z.strictObject({
  baseUrl: httpUrl.describe('https://quickbooks.api.intuit.com, or https://sandbox-quickbooks.api.intuit.com for a sandbox company'),
  realmId: z.string().regex(/^\d{1,20}$/, { error: 'must be the company id (digits)' }).describe('The company (realm) id Intuit returns on connect'),
  minorVersion: z.number().int().min(1).max(999).default(75).describe('The API minor version every call asks for'),
  tokenUrl: httpUrl.default(INTUIT_TOKEN_URL),
  deleteMode: z
    .enum(['void', 'delete'])
    .default('void')
    .describe('What deleting an invoice or payment does: void keeps it, zeroed, for the audit trail; delete removes it. Customers are made inactive.'),
});

export type QuickBooksConfig = z.output<typeof quickbooksConfigSchema>;

/** OAuth 2.0 from Intuit's connect flow. Intuit rotates the refresh token; the connector stores each new one. */
export const quickbooksCredentialsSchema = z.strictObject({
  clientId: z.string().min(1).describe("The app's client id"),
  clientSecret: z.string().min(1).describe("The app's client secret"),
  refreshToken: z.string().min(1),
  accessToken: z.string().min(1).optional().describe('Refreshed by the connector and stored again'),
  accessTokenExpiresAt: z.iso.datetime({ offset: true }).optional(),
});

export type QuickBooksCredentials = z.output<typeof quickbooksCredentialsSchema>;
