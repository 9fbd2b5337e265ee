export { restConnector } from './rest-connector.ts';
export type { RestConfig, RestCredentials } from './rest-config-schema.ts';
