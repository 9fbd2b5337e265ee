import { defineConnector } from '../sdk/index.ts';
import { checkRest } from './check-rest.ts';
import { pullRest } from './pull-rest.ts';
import { getRest, pushRest } from './push-rest.ts';
import { restConfigSchema, restCredentialsFor, restCredentialsSchema } from './rest-config-schema.ts';
import { restExamples } from './rest-examples.ts';
import { restObjects } from './rest-objects.ts';

/**
 * Any JSON-over-HTTP API described as data: base URL, auth (header, basic, OAuth2 client
 * credentials), and per object its paths, pagination, updated-since filter and write methods.
 * Serves SAP, Dynamics, Oracle and Zoho style APIs until they get connectors of their own.
 */
export const restConnector = defineConnector({
  id: 'rest',
  displayName: 'REST API',
  description: 'A JSON API described by configuration: objects, pagination, updated-since filters and auth.',
  configSchema: restConfigSchema,
  credentialsSchema: restCredentialsSchema,
  credentialsSchemaFor: restCredentialsFor,
  objects: restObjects,
  rateLimits: (config) => (config.rateLimit === undefined ? [] : [{ ...config.rateLimit, scope: 'connection' as const }]),
  outboundUrls: (config) => [
    { path: 'baseUrl', url: config.baseUrl },
    ...(config.auth.type === 'oauth2-client-credentials' ? [{ path: 'auth.tokenUrl', url: config.auth.tokenUrl }] : []),
  ],
  examples: restExamples,
  check: checkRest,
  capabilities: {
    pull: pullRest,
    get: getRest,
    push: { operations: ['create', 'update', 'delete'], run: pushRest },
  },
});
