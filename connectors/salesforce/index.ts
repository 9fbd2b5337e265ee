export { salesforceConnector } from './salesforce-connector.ts';
export { salesforceConfigSchema, salesforceCredentialsSchema, type SalesforceConfig, type SalesforceCredentials } from './salesforce-settings.ts';
export { SALESFORCE_LIMITS } from './salesforce-limits.ts';
export { markerValue } from './push-salesforce.ts';
