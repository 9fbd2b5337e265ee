import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ConnectorDescriptor } from '../../connectors/index.ts';
import type { AppEnv } from '../app-env.ts';
import { connectorsOf } from '../connections/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, problemResponses } from '../openapi/index.ts';

const json = z.record(z.string(), z.unknown());

export const ConnectorSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    description: z.string().optional(),
    configSchema: json.openapi({ description: 'JSON Schema (2020-12) of `config`' }),
    credentialsSchema: json.openapi({ description: 'JSON Schema (2020-12) of `credentials`' }),
    capabilities: z.object({
      pull: z.boolean(),
      get: z.boolean(),
      push: z.array(z.enum(['create', 'update', 'delete'])),
      webhook: z.boolean(),
      messages: z.object({ send: z.boolean(), receive: z.boolean() }),
    }),
    objects: z.array(
      z.object({
        name: z.string(),
        description: z.string().optional(),
        schema: json.openapi({ description: 'Field schema, as mappings check `remote` paths against it' }),
        samples: z.array(json),
        operations: z.array(z.enum(['create', 'update', 'delete'])),
      }),
    ),
    objectsFromConfig: z.boolean().openapi({ description: "True when each connection's config declares its object types" }),
    rateLimits: z.array(z.object({ requests: z.number(), perSeconds: z.number(), scope: z.string().optional(), description: z.string().optional() })),
    webhookScheme: z.string().nullable(),
    webhookSchemes: z.array(z.string()),
    examples: z.array(z.object({ name: z.string(), description: z.string().optional(), config: json })),
  })
  .openapi('Connector');

export const connectorOut = (d: ConnectorDescriptor): z.infer<typeof ConnectorSchema> => ({
  ...d,
  objects: d.objects.map((o) => ({ ...o, schema: { ...o.schema } })),
  rateLimits: d.rateLimits.map((r) => ({ ...r })),
});

const list = createRoute({
  method: 'get',
  path: '/v1/connectors',
  tags: ['connectors'],
  summary: 'List the connectors this hub offers, with the schemas admin forms are built from',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  responses: {
    200: { description: 'Every connector', content: { 'application/json': { schema: z.object({ items: z.array(ConnectorSchema) }) } } },
    ...problemResponses(401),
  },
});

const one = createRoute({
  method: 'get',
  path: '/v1/connectors/{id}',
  tags: ['connectors'],
  summary: 'One connector',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: {
    200: { description: 'The connector', content: { 'application/json': { schema: ConnectorSchema } } },
    ...problemResponses(401, 404),
  },
});

export function registerConnectorRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, (c) => c.json({ items: connectorsOf(c.get('services')).describeAll().map(connectorOut) }, 200));
  app.openapi(one, (c) => {
    const connector = connectorsOf(c.get('services')).get(c.req.valid('param').id);
    if (connector === undefined) throw new ApiError('not_found', { detail: 'No such connector' });
    return c.json(connectorOut(connector.describe()), 200);
  });
}
