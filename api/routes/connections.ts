import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  addWebhookSecret,
  createConnection,
  decryptCredentials,
  deleteConnection,
  listConnections,
  loadConnection,
  MAX_WEBHOOK_SECRETS,
  recordConnectionCheck,
  removeWebhookSecret,
  updateConnection,
  viewConnection,
  type ConnectionDoc,
  type ConnectionPatch,
} from '../../core/connections/index.ts';
import type { AppEnv } from '../app-env.ts';
import { checkWebhookSecrets, connectionContext, connectorsOf, validateConnectionSettings } from '../connections/index.ts';
import { checkWhatsAppWebConnection } from '../../queues/notify/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, pageOf, problemResponses } from '../openapi/index.ts';
import { ConnectorSchema, connectorOut } from './connectors.ts';
import { problem as whatsAppWebProblem, whatsAppWebLinksOf } from './whatsapp-web-login.ts';

const STATUSES = ['active', 'paused', 'error', 'deleted'] as const;
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const READERS = ['admin', 'manager', 'integration'] as const;

const secretValue = z.string().min(8, { error: 'must be at least 8 characters' }).max(1024);
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

const WebhookSecretSchema = z
  .object({ id: z.string(), createdAt: z.string(), notAfter: z.string().optional() })
  .openapi('WebhookSecret', { description: 'A webhook signing secret; its value is never shown' });

const ConnectionSchema = z
  .object({
    id: z.string(),
    connector: z.string(),
    name: z.string(),
    config: z.record(z.string(), z.unknown()),
    status: z.enum(STATUSES),
    webhookUrl: z.string().openapi({ description: 'Where senders POST webhooks: <HUB_PUBLIC_URL>/v1/hooks/<id>' }),
    webhook: z.object({ secrets: z.array(WebhookSecretSchema), maxBodyBytes: z.number().int().optional() }),
    hasCredentials: z.boolean(),
    lastCheck: z.object({ at: z.string(), ok: z.boolean(), message: z.string().optional() }).optional(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Connection');

type ConnectionOut = z.infer<typeof ConnectionSchema>;

const secretOut = (s: { id: string; createdAt: Date; notAfter?: Date }) => ({
  id: s.id,
  createdAt: new Date(s.createdAt).toISOString(),
  ...(s.notAfter === undefined ? {} : { notAfter: new Date(s.notAfter).toISOString() }),
});

function connectionOut(conn: ConnectionDoc, publicUrl: string): ConnectionOut {
  const v = viewConnection(conn, publicUrl);
  return {
    id: v.id,
    connector: v.connector,
    name: v.name,
    config: v.config,
    status: v.status,
    webhookUrl: v.webhookUrl,
    webhook: { secrets: v.webhook.secrets.map(secretOut), ...(v.webhook.maxBodyBytes === undefined ? {} : { maxBodyBytes: v.webhook.maxBodyBytes }) },
    hasCredentials: v.hasCredentials,
    ...(v.lastCheck === undefined ? {} : { lastCheck: { at: new Date(v.lastCheck.at).toISOString(), ok: v.lastCheck.ok, ...(v.lastCheck.message === undefined ? {} : { message: v.lastCheck.message }) } }),
    version: v.version,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

const CreateConnectionBody = z
  .object({
    connector: z.string().min(1).max(40).openapi({ example: 'rest' }),
    name: z.string().trim().min(1).max(200).openapi({ example: 'Zoho Books (Pune office)' }),
    config: z.record(z.string(), z.unknown()).default({}).openapi({ description: "Checked against the connector's configSchema" }),
    credentials: z.record(z.string(), z.unknown()).optional().openapi({ description: "Checked against the connector's credentialsSchema; stored encrypted, never shown" }),
    webhook: z
      .object({
        secrets: z
          .array(z.union([secretValue, z.object({ value: secretValue, notAfter: instant.optional() }).strict()]))
          .max(MAX_WEBHOOK_SECRETS)
          .default([]),
        maxBodyBytes: z.number().int().min(1024).max(MAX_BODY_BYTES).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi('CreateConnection');

const PatchConnectionBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    config: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Replaces the whole config' }),
    credentials: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Replaces the whole credentials' }),
    status: z.enum(['active', 'paused']).optional(),
    webhook: z.object({ maxBodyBytes: z.number().int().min(1024).max(MAX_BODY_BYTES) }).strict().optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { error: 'change at least one of name, config, credentials, status, webhook' })
  .openapi('PatchConnection');

const AddSecretBody = z
  .object({
    value: secretValue,
    notAfter: instant.optional().openapi({ description: 'When the new secret stops verifying' }),
    oldSecretsNotAfter: instant.optional().openapi({ description: 'When the existing secrets stop verifying; until then both work' }),
  })
  .strict()
  .openapi('AddWebhookSecret');

const CheckResultSchema = z
  .object({
    ok: z.boolean(),
    code: z.string().optional().openapi({ description: 'auth_failed, unreachable, refused_address, rate_limited, vendor_error or misconfigured' }),
    message: z.string().optional(),
    checkedAt: z.string(),
  })
  .openapi('ConnectionCheck');

const ListQuery = z.object({
  connector: z.string().max(40).optional(),
  status: z.enum(STATUSES).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const SecretParams = IdParam.extend({ secretId: z.string().min(1).max(64).openapi({ param: { name: 'secretId', in: 'path' } }) });

const tags = ['connections'];
const list = createRoute({
  method: 'get', path: '/v1/connections', tags, summary: "List the tenant's connections", security: bearerSecurity,
  middleware: [requireAuth(...READERS)] as const,
  request: { query: ListQuery },
  responses: { 200: { description: 'A page of connections', content: { 'application/json': { schema: pageOf(ConnectionSchema) } } }, ...problemResponses(400, 401, 403) },
});
const create = createRoute({
  method: 'post', path: '/v1/connections', tags, summary: 'Connect a system through a connector (admin)', security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: CreateConnectionBody } } } },
  responses: { 201: { description: 'Created', content: { 'application/json': { schema: ConnectionSchema } } }, ...problemResponses(400, 401, 403, 415, 422) },
});
const one = createRoute({
  method: 'get', path: '/v1/connections/{id}', tags, summary: 'One connection', security: bearerSecurity,
  middleware: [requireAuth(...READERS)] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'The connection', content: { 'application/json': { schema: ConnectionSchema } } }, ...problemResponses(401, 403, 404) },
});
const connectorOfConnection = createRoute({
  method: 'get', path: '/v1/connections/{id}/connector', tags, summary: "The connection's connector, with the object types its config describes", security: bearerSecurity,
  middleware: [requireAuth(...READERS)] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'The connector entry for this connection', content: { 'application/json': { schema: ConnectorSchema } } }, ...problemResponses(401, 403, 404) },
});
const patch = createRoute({
  method: 'patch', path: '/v1/connections/{id}', tags, summary: 'Change, pause or resume a connection (admin)', security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: PatchConnectionBody } } } },
  responses: { 200: { description: 'Changed', content: { 'application/json': { schema: ConnectionSchema } } }, ...problemResponses(400, 401, 403, 404, 409, 415, 422) },
});
const remove = createRoute({
  method: 'delete', path: '/v1/connections/{id}', tags, summary: 'Delete a connection: stops its webhooks and sync and drops its secrets (admin)', security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404) },
});
const test = createRoute({
  method: 'post', path: '/v1/connections/{id}/test', tags, summary: "Run the connector's check call against the vendor (admin)", security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  request: { params: IdParam },
  description:
    'A whatsapp-web connection is checked by the process that drives WhatsApp Web (this one, or the one it reaches over Redis): its session ready, starting or waiting for a QR code, or, when none runs, linked, needing a new link or never linked. 503 when no process drives WhatsApp Web; nothing is recorded then.',
  responses: { 200: { description: 'The check ran; `ok` says whether it passed', content: { 'application/json': { schema: CheckResultSchema } } }, ...problemResponses(401, 403, 404, 503) },
});
const addSecret = createRoute({
  method: 'post', path: '/v1/connections/{id}/webhook-secrets', tags, summary: 'Add a webhook secret, for rotation without downtime (admin)', security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: AddSecretBody } } } },
  responses: {
    201: { description: 'Added', content: { 'application/json': { schema: z.object({ secret: WebhookSecretSchema, webhook: z.object({ secrets: z.array(WebhookSecretSchema) }) }) } } },
    ...problemResponses(400, 401, 403, 404, 409, 415, 422),
  },
});
const removeSecret = createRoute({
  method: 'delete', path: '/v1/connections/{id}/webhook-secrets/{secretId}', tags, summary: 'Remove a webhook secret at once (admin)', security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  request: { params: SecretParams },
  responses: { 204: { description: 'Removed' }, ...problemResponses(401, 403, 404, 409) },
});

async function found(c: Context<AppEnv>, id: string): Promise<ConnectionDoc> {
  const conn = await loadConnection(c.get('db'), id);
  if (conn === null) throw new ApiError('not_found', { detail: 'No such connection' });
  return conn;
}

function connectorFor(c: Context<AppEnv>, conn: ConnectionDoc) {
  const connector = connectorsOf(c.get('services')).get(conn.connector);
  if (connector === undefined) throw new ApiError('unprocessable', { detail: `The connector "${conn.connector}" is not available in this hub` });
  return connector;
}

export function registerConnectionRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const page = await listConnections(c.get('db'), { ...(q.connector ? { connector: q.connector } : {}), ...(q.status ? { status: q.status } : {}), cursor: q.cursor ?? null, limit: q.limit });
    const url = c.get('services').config.publicUrl;
    return c.json({ items: page.items.map((conn) => connectionOut(conn, url)), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(create, async (c) => {
    const body = c.req.valid('json');
    const services = c.get('services');
    const connector = connectorsOf(services).get(body.connector);
    if (connector === undefined) {
      throw new ApiError('unprocessable', {
        detail: 'No such connector',
        errors: [{ path: 'connector', code: 'unknown_connector', message: `no connector "${body.connector}"; this hub has ${connectorsOf(services).ids().join(', ')}` }],
      });
    }
    const secrets = (body.webhook?.secrets ?? []).map((s) => (typeof s === 'string' ? { value: s } : { value: s.value, ...(s.notAfter === undefined ? {} : { notAfter: new Date(s.notAfter) }) }));
    const settings = await validateConnectionSettings(services, connector, { config: body.config, credentials: body.credentials ?? {} });
    const errors = settings.ok ? [] : [...settings.errors];
    if (secrets.length > 0 && !connector.capabilities.webhook) {
      errors.push({ path: 'webhook.secrets', code: 'no_webhooks', message: `the ${connector.id} connector takes no webhooks` });
    }
    if (settings.ok) errors.push(...checkWebhookSecrets(connector, settings.config, secrets, (i) => `webhook.secrets.${i}`));
    if (!settings.ok || errors.length > 0) throw new ApiError('unprocessable', { detail: 'The connection settings are not valid; see errors', errors });
    const conn = await createConnection(services.store, c.get('auth').tenant._id, services.vault, {
      connector: connector.id,
      name: body.name,
      config: settings.config,
      ...(Object.keys(settings.credentials).length > 0 || body.credentials !== undefined ? { credentials: settings.credentials } : {}),
      webhook: { secrets, ...(body.webhook?.maxBodyBytes === undefined ? {} : { maxBodyBytes: body.webhook.maxBodyBytes }) },
      createdBy: c.get('auth').key._id,
    }, services.now());
    return c.json(connectionOut(conn, services.config.publicUrl), 201);
  });

  app.openapi(one, async (c) => c.json(connectionOut(await found(c, c.req.valid('param').id), c.get('services').config.publicUrl), 200));

  app.openapi(connectorOfConnection, async (c) => {
    const conn = await found(c, c.req.valid('param').id);
    return c.json(connectorOut(connectorFor(c, conn).describe(conn.config)), 200);
  });

  app.openapi(patch, async (c) => {
    const body = c.req.valid('json');
    const services = c.get('services');
    const conn = await found(c, c.req.valid('param').id);
    const change: ConnectionPatch = {};
    if (body.name !== undefined) change.name = body.name;
    if (body.status !== undefined) change.status = body.status;
    if (body.webhook?.maxBodyBytes !== undefined) change.maxBodyBytes = body.webhook.maxBodyBytes;
    if (body.config !== undefined || body.credentials !== undefined) {
      const connector = connectorFor(c, conn);
      let credentials: unknown = body.credentials;
      if (credentials === undefined) {
        const stored = decryptCredentials(services.vault, conn);
        if (!stored.ok) throw new ApiError('unprocessable', { detail: 'The stored credentials cannot be decrypted; send them again with this change', errors: [{ path: 'credentials', code: 'undecryptable', message: 'send the credentials again' }] });
        credentials = stored.credentials;
      }
      const settings = await validateConnectionSettings(services, connector, { config: body.config ?? conn.config, credentials });
      if (!settings.ok) throw new ApiError('unprocessable', { detail: 'The connection settings are not valid; see errors', errors: settings.errors });
      if (body.config !== undefined) change.config = settings.config;
      if (body.credentials !== undefined) change.credentials = settings.credentials;
    }
    const updated = await updateConnection(c.get('db'), services.vault, conn, change, services.now());
    return c.json(connectionOut(updated, services.config.publicUrl), 200);
  });

  app.openapi(remove, async (c) => {
    const services = c.get('services');
    const conn = await found(c, c.req.valid('param').id);
    await deleteConnection(services.store, c.get('db'), conn, services.now());
    return c.body(null, 204);
  });

  app.openapi(test, async (c) => {
    const services = c.get('services');
    const db = c.get('db');
    const conn = await found(c, c.req.valid('param').id);
    const connector = connectorFor(c, conn);
    let result: Awaited<ReturnType<typeof connector.check>>;
    if (conn.connector === 'whatsapp-web') {
      // Its state lives with the sessions: this process's, or those of the process driving WhatsApp Web, over Redis.
      const checked = await checkWhatsAppWebConnection({ links: whatsAppWebLinksOf(services), tenantId: c.get('auth').tenant._id, conn });
      if (!checked.ok) throw whatsAppWebProblem(checked.error);
      result = checked.value;
    } else {
      const made = connectionContext(services, db, conn, connector, { persistCredentials: true, signal: c.req.raw.signal });
      result = made.ok ? await connector.check(made.context) : { ok: false, code: 'misconfigured', message: made.message };
    }
    const at = services.now();
    const { message } = result;
    await recordConnectionCheck(db, conn._id, { at, ok: result.ok, ...(message === undefined ? {} : { message }) });
    return c.json({ ok: result.ok, ...(result.ok ? {} : { code: result.code }), ...(message === undefined ? {} : { message }), checkedAt: at.toISOString() }, 200);
  });

  app.openapi(addSecret, async (c) => {
    const body = c.req.valid('json');
    const services = c.get('services');
    const conn = await found(c, c.req.valid('param').id);
    if (!connectorFor(c, conn).capabilities.webhook) {
      throw new ApiError('unprocessable', { detail: `The ${conn.connector} connector takes no webhooks`, errors: [{ path: 'value', code: 'no_webhooks', message: 'this connection takes no webhooks' }] });
    }
    const tooShort = checkWebhookSecrets(connectorFor(c, conn), conn.config, [body], () => 'value');
    if (tooShort.length > 0) throw new ApiError('unprocessable', { detail: 'The webhook secret is too short for this connection', errors: tooShort });
    const added = await addWebhookSecret(c.get('db'), services.vault, conn, {
      value: body.value,
      ...(body.notAfter === undefined ? {} : { notAfter: new Date(body.notAfter) }),
      ...(body.oldSecretsNotAfter === undefined ? {} : { retireOthersAt: new Date(body.oldSecretsNotAfter) }),
    }, services.now());
    if (!added.ok) throw new ApiError('unprocessable', { detail: `A connection holds at most ${MAX_WEBHOOK_SECRETS} secrets; remove one first` });
    return c.json({ secret: secretOut(added.secret), webhook: { secrets: added.connection.webhook.secrets.map(secretOut) } }, 201);
  });

  app.openapi(removeSecret, async (c) => {
    const { id, secretId } = c.req.valid('param');
    const conn = await found(c, id);
    const removed = await removeWebhookSecret(c.get('db'), conn, secretId, c.get('services').now());
    if (!removed) throw new ApiError('not_found', { detail: 'No such webhook secret' });
    return c.body(null, 204);
  });
}
