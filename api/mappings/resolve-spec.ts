import type { Context } from 'hono';
import type { Connector } from '../../connectors/index.ts';
import { loadConnection, type ConnectionDoc } from '../../core/connections/index.ts';
import {
  defaultHubSchemas,
  mappingSpecSchema,
  starterRemoteSchema,
  validateMapping,
  type MappingIssue,
  type MappingSchemas,
  type MappingSpec,
  type ObjectSchema,
} from '../../mappings/index.ts';
import type { AppEnv } from '../app-env.ts';
import { connectorsOf } from '../connections/index.ts';
import { ApiError } from '../errors/index.ts';

/** A spec checked for this tenant, with what it maps between. */
export interface ResolvedSpec {
  spec: MappingSpec;
  connection: ConnectionDoc;
  connector: Connector;
  schemas: MappingSchemas;
}

const NO_FIELDS: ObjectSchema = { properties: {} };

/**
 * Validates a spec as the tenant would store it: its shape, that its connection exists here, that
 * both object types exist (the hub's, and the connector's for that connection's config, falling
 * back to the shipped starter schemas), then every field against both schemas. A missing `name`
 * defaults to `<hubObject> ↔ <remoteObject>`. Any failure is a 422 listing every issue, with
 * paths under `prefix` (`spec.` for previews).
 */
export async function resolveSpec(c: Context<AppEnv>, raw: unknown, { prefix = '' }: { prefix?: string } = {}): Promise<ResolvedSpec> {
  const fail = (errors: MappingIssue[] | Array<{ path: string; code: string; message: string }>): never => {
    throw new ApiError('unprocessable', {
      detail: 'The mapping is not valid; see errors',
      errors: errors.map((e) => ({ ...e, path: prefix === '' ? e.path : e.path === '' ? prefix.replace(/\.$/, '') : `${prefix}${e.path}` })),
    });
  };
  const input = withDefaultName(raw);
  const shape = mappingSpecSchema.safeParse(input);
  if (!shape.success) {
    const checked = validateMapping(input, { hub: NO_FIELDS, remote: NO_FIELDS });
    return fail(checked.ok ? [] : checked.errors);
  }
  const { connectionId, hubObject, remoteObject } = shape.data;
  const connection = await loadConnection(c.get('db'), connectionId);
  if (connection === null) return fail([{ path: 'connectionId', code: 'unknown_connection', message: `no connection "${connectionId}" in this tenant` }]);
  const connector = connectorsOf(c.get('services')).get(connection.connector);
  if (connector === undefined) return fail([{ path: 'connectionId', code: 'connector_unavailable', message: `the connection's connector "${connection.connector}" is not available in this hub` }]);

  const hubSchemas: Readonly<Record<string, ObjectSchema>> = defaultHubSchemas;
  const hub = Object.hasOwn(hubSchemas, hubObject) ? hubSchemas[hubObject] : undefined;
  const remote = connector.objectSchema(connection.config, remoteObject) ?? starterRemoteSchema(connection.connector, remoteObject);
  const missing: Array<{ path: string; code: string; message: string }> = [];
  if (hub === undefined) missing.push({ path: 'hubObject', code: 'unknown_object', message: `no hub object "${hubObject}"; the hub has ${Object.keys(defaultHubSchemas).join(', ')}` });
  if (remote === undefined) {
    const names = Object.keys(connector.objects(connection.config));
    missing.push({ path: 'remoteObject', code: 'unknown_object', message: `the ${connection.connector} connection has no object "${remoteObject}"${names.length > 0 ? `; it has ${names.join(', ')}` : ''}` });
  }
  if (hub === undefined || remote === undefined) return fail(missing);

  const schemas = { hub, remote };
  const validation = validateMapping(input, schemas);
  if (!validation.ok) return fail(validation.errors);
  return { spec: validation.spec, connection, connector, schemas };
}

function withDefaultName(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const r = raw as Record<string, unknown>;
  if (r.name !== undefined || typeof r.hubObject !== 'string' || typeof r.remoteObject !== 'string') return raw;
  return { ...r, name: `${r.hubObject} ↔ ${r.remoteObject}` };
}
