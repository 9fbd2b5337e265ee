import { UnrecoverableVendorError, type ConnectorContext, type GetRequest, type PushRequest, type PushResult, type RemoteRecord } from '../sdk/index.ts';
import { readPath, wrapAt } from './read-path.ts';
import { restCall, type RestAnswer } from './rest-call.ts';
import type { RestConfig, RestCredentials, RestObject } from './rest-config-schema.ts';
import { toRemoteRecord } from './to-remote-record.ts';

type RestContext = ConnectorContext<RestConfig, RestCredentials>;

const itemPathOf = (object: RestObject): string => object.itemPath ?? `${object.path.replace(/\/+$/, '')}/{id}`;
const withId = (template: string, id: string): string => template.replaceAll('{id}', encodeURIComponent(id));

/**
 * Creates, updates or deletes one record. The idempotency key goes in the configured header, so
 * an API that honours it answers a repeat with the first result. A delete of a record the API no
 * longer has succeeds.
 */
export async function pushRest(ctx: RestContext, request: PushRequest): Promise<PushResult> {
  const object = ctx.config.objects[request.object]!;
  const headers: Record<string, string> = {};
  if (ctx.config.idempotencyHeader !== false) headers[ctx.config.idempotencyHeader] = request.idempotencyKey;
  if (object.conditionalWrites && request.expectedVersion !== undefined && request.op !== 'create') headers['if-match'] = request.expectedVersion;
  const body = request.data === undefined ? undefined : object.requestEnvelope === undefined ? request.data : wrapAt(object.requestEnvelope, request.data);
  const what = `${request.op} ${request.object}`;

  if (request.op === 'delete') {
    await restCall(ctx, { method: 'DELETE', target: withId(object.deletePath ?? itemPathOf(object), request.id!), headers, allowNotFound: true, what });
    return { id: request.id! };
  }
  const answer =
    request.op === 'create'
      ? await restCall(ctx, { method: object.createMethod, target: object.createPath ?? object.path, headers, body, what })
      : await restCall(ctx, { method: object.updateMethod, target: withId(object.updatePath ?? itemPathOf(object), request.id!), headers, body, what });
  return writeResult(answer, object, request);
}

function writeResult(answer: RestAnswer, object: RestObject, request: PushRequest): PushResult {
  const path = object.writeResultPath ?? object.recordPath;
  const found = answer.body === null ? undefined : path === undefined ? answer.body : readPath(answer.body, path);
  const etag = answer.headers.get('etag') ?? undefined;
  if (found !== null && typeof found === 'object' && !Array.isArray(found) && readPath(found, object.idField) !== undefined) {
    const record = toRemoteRecord(found, object, request.object, answer.status);
    return { id: record.id, ...(record.version !== undefined ? { version: record.version } : etag === undefined ? {} : { version: etag }), data: record.data };
  }
  if (request.op === 'update') return { id: request.id!, ...(etag === undefined ? {} : { version: etag }) };
  const location = answer.headers.get('location') ?? answer.headers.get('odata-entityid');
  const fromLocation = location === null ? undefined : /([^/()'"]+)['"]?\)?\/?$/.exec(location)?.[1];
  if (fromLocation !== undefined) return { id: decodeURIComponent(fromLocation), ...(etag === undefined ? {} : { version: etag }) };
  throw new UnrecoverableVendorError(answer.status, JSON.stringify(answer.body)?.slice(0, 500) ?? '', { message: `create ${request.object}: the answer names no id` });
}

/** One record by id, or null when the API has none. */
export async function getRest(ctx: RestContext, request: GetRequest): Promise<RemoteRecord | null> {
  const object = ctx.config.objects[request.object]!;
  const answer = await restCall(ctx, { method: 'GET', target: withId(itemPathOf(object), request.id), allowNotFound: true, what: `get ${request.object}` });
  if (answer.status === 404 || answer.body === null) return null;
  const found = object.recordPath === undefined ? answer.body : readPath(answer.body, object.recordPath);
  return found === undefined || found === null ? null : toRemoteRecord(found, object, request.object, answer.status);
}
