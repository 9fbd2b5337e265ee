import { defineConnector } from '../sdk/index.ts';
import { checkSalesforce } from './check-salesforce.ts';
import { parseSalesforceOutbound } from './parse-outbound-message.ts';
import { pullSalesforce } from './pull-salesforce.ts';
import { getSalesforce, pushSalesforce } from './push-salesforce.ts';
import { salesforceRateLimits } from './salesforce-limits.ts';
import { salesforceObjects } from './salesforce-objects.ts';
import { salesforceConfigSchema, salesforceCredentialsSchema } from './salesforce-settings.ts';

/**
 * Salesforce through jsforce: milestones as Opportunity (or a custom object such as
 * Milestone__c) and clients as Account. Pulls poll SystemModstamp with SOQL, pushes upsert on an
 * external id so a retried create never duplicates, and workflow outbound messages arrive as
 * webhooks (scheme `salesforce-outbound`). OAuth2 access tokens are refreshed from the refresh
 * token on a 401 and stored again.
 */
export const salesforceConnector = defineConnector({
  id: 'salesforce',
  displayName: 'Salesforce',
  description: 'Milestones as opportunities or a custom object, clients as accounts; SystemModstamp polling, upserts on an external id and outbound messages.',
  configSchema: salesforceConfigSchema,
  credentialsSchema: salesforceCredentialsSchema,
  objects: salesforceObjects,
  rateLimits: salesforceRateLimits,
  outboundUrls: (config) => [
    { path: 'instanceUrl', url: config.instanceUrl },
    { path: 'loginUrl', url: config.loginUrl },
  ],
  check: checkSalesforce,
  capabilities: {
    pull: pullSalesforce,
    get: getSalesforce,
    push: { operations: ['create', 'update', 'delete'], run: pushSalesforce },
    webhook: {
      schemes: ['salesforce-outbound'],
      settings: (config) => ({ scheme: 'salesforce-outbound', options: { organizationId: config.organizationId } }),
      parse: parseSalesforceOutbound,
    },
  },
});
