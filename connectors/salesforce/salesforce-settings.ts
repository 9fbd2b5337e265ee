import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const customField = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}__c$/, { error: 'must be the API name of a custom field, ending in __c' });
const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, { error: 'must be a field API name' });
/** The sObject milestones live in: the standard Opportunity or a custom object. */
const milestoneObject = z.string().regex(/^(?:Opportunity|[A-Za-z][A-Za-z0-9_]{0,39}__c)$/, { error: 'must be Opportunity or the API name of a custom object, ending in __c' });
const objectName = z.string().regex(/^(?:Opportunity|Account|[A-Za-z][A-Za-z0-9_]{0,39}__c)$/, { error: 'must be Opportunity, Account or a custom object ending in __c' });

/** The field types an admin can declare for a custom field, as mappings check them. */
export const EXTRA_FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'date'] as const;

/** A Salesforce connection: where the org is, which API version to speak, and where milestones live. */
export const salesforceConfigSchema = z
  .strictObject({
    instanceUrl: httpUrl.describe("The org's My Domain URL, e.g. https://acme.my.salesforce.com"),
    loginUrl: httpUrl.default('https://login.salesforce.com').describe('Where OAuth tokens are refreshed; https://test.salesforce.com for sandboxes'),
    apiVersion: z
      .string()
      .regex(/^\d{2,3}\.0$/, { error: 'must look like 62.0' })
      .refine((v) => Number.parseFloat(v) >= 51, { error: 'must be 51.0 or later: pulls read FIELDS(ALL)' })
      .default('62.0'),
    organizationId: z
      .string()
      .regex(/^00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/, { error: 'must be the 15- or 18-character org id, starting 00D' })
      .describe('Outbound messages name their org; the hub accepts only this one'),
    milestoneObject: milestoneObject.default('Opportunity').describe('Opportunity, or a custom object such as Milestone__c'),
    externalIdField: customField
      .optional()
      .describe('An external-id field (e.g. Hub_Id__c) on each synced object: creates become upserts, so a retried create never duplicates'),
    idempotencyField: customField
      .optional()
      .describe('Without an external-id field: a text field the connector stamps on create and checks first, so a retried create finds its record'),
    extraFields: z
      .record(objectName, z.record(fieldName, z.enum(EXTRA_FIELD_TYPES)))
      .optional()
      .describe('Custom fields mappings may use, per object: { "Milestone__c": { "Status__c": "string" } }'),
    dailyApiRequests: z.number().int().min(1000).max(100_000_000).default(100_000).describe("The org's rolling 24-hour API allowance, shared by every sync job"),
  })
  .superRefine((config, ctx) => {
    if (config.externalIdField !== undefined && config.idempotencyField !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['idempotencyField'], message: 'leave it out: with an external-id field, creates are upserts and need no marker' });
    }
  });

export type SalesforceConfig = z.output<typeof salesforceConfigSchema>;

/** OAuth2 with a refresh token (web-server or JWT flow done once by an admin); the access token is cached here. */
export const salesforceCredentialsSchema = z.strictObject({
  clientId: z.string().min(1).describe("The connected app's consumer key"),
  clientSecret: z.string().min(1).describe("The connected app's consumer secret"),
  refreshToken: z.string().min(1),
  accessToken: z.string().min(1).optional().describe('Refreshed by the connector and stored again'),
});

export type SalesforceCredentials = z.output<typeof salesforceCredentialsSchema>;
