import { z } from 'zod';
import { fieldSchemaSchema } from '../../mappings/index.ts';
import { checkRecord, OBJECT_NAME_RE, PUSH_OPS } from '../sdk/index.ts';
import { jsonPathSchema } from './read-path.ts';

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, { error: 'must be an HTTP header name' });
const relativePath = z.string().max(500).regex(/^\/[^\s?#]*$/, { error: 'must start with / and hold no spaces, query or fragment' });
const itemPath = relativePath.refine((p) => p.includes('{id}'), { error: 'must contain {id}, where the record id goes' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

// Names that carry secrets belong in the encrypted credentials, never in plain-text config.
const SECRET_NAMES = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey|api_key|x-auth-token|token|access_token|client_secret|password|secret|signature|key|sig)$/i;
const pair = (what: string) =>
  z.strictObject({
    name: z.string().min(1).max(100).refine((n) => !SECRET_NAMES.test(n), { error: `carries a secret; put it in the credentials, not in ${what}` }),
    value: z.string().max(2000),
  });

const pagination = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({
    type: z.literal('cursor'),
    cursorParam: z.string().min(1).max(100),
    nextCursorPath: jsonPathSchema,
    limitParam: z.string().min(1).max(100).optional(),
  }),
  z.strictObject({
    type: z.literal('page'),
    pageParam: z.string().min(1).max(100),
    sizeParam: z.string().min(1).max(100).optional(),
    startAt: z.union([z.literal(0), z.literal(1)]).default(1),
    /** Where the answer says more pages follow; without it, a short page is the last. */
    hasMorePath: jsonPathSchema.optional(),
  }),
  z.strictObject({ type: z.literal('offset'), offsetParam: z.string().min(1).max(100), limitParam: z.string().min(1).max(100) }),
  z.strictObject({ type: z.literal('next-link'), nextLinkPath: jsonPathSchema, limitParam: z.string().min(1).max(100).optional() }),
]);

const writeMethod = z.enum(['POST', 'PUT', 'PATCH']);

/** One object type of a REST API: where it lives, how its lists page and how records are written. */
export const restObjectSchema = z
  .strictObject({
    title: z.string().max(200).optional(),
    description: z.string().max(1000).optional(),
    /** The collection, relative to baseUrl: `/invoices`. */
    path: relativePath,
    /** One record. @default `${path}/{id}` */
    itemPath: itemPath.optional(),
    idField: jsonPathSchema,
    updatedField: jsonPathSchema.optional(),
    /** Version or ETag; @default the updated value */
    versionField: jsonPathSchema.optional(),
    /** A truthy value here marks a deletion the API reports. */
    deletedField: jsonPathSchema.optional(),
    /** Where the array is in a list answer. @default the answer itself */
    listPath: jsonPathSchema.optional(),
    /** Where the record is in a single-record answer. @default the answer itself */
    recordPath: jsonPathSchema.optional(),
    /** Where the record is in a create or update answer. @default recordPath */
    writeResultPath: jsonPathSchema.optional(),
    /** Where the record goes in a create or update body, e.g. `data[0]`. @default the body itself */
    requestEnvelope: jsonPathSchema.optional(),
    pagination: pagination.default({ type: 'none' }),
    pageSize: z.number().int().min(1).max(1000).default(100),
    /** Fixed list parameters, e.g. a sort ascending by the updated field (needed for a correct updated-since watermark). */
    query: z.array(pair('query')).max(20).optional(),
    updatedSinceParam: z.string().min(1).max(100).optional(),
    updatedSinceHeader: headerName.optional(),
    updatedSinceFormat: z.enum(['iso', 'iso-seconds', 'epoch-ms', 'epoch-seconds', 'date', 'http-date']).default('iso'),
    /** Wraps the value, e.g. `modifiedon gt {value}` for OData's `$filter`. */
    updatedSinceTemplate: z.string().max(500).includes('{value}', { error: 'must contain {value}' }).optional(),
    operations: z.array(z.enum(PUSH_OPS)).max(3).default(['create', 'update', 'delete']),
    createMethod: writeMethod.default('POST'),
    /** @default path */
    createPath: relativePath.optional(),
    updateMethod: writeMethod.default('PATCH'),
    /** @default itemPath */
    updatePath: itemPath.optional(),
    /** @default itemPath */
    deletePath: itemPath.optional(),
    /** Send If-Match with the expected version on updates and deletes (OData ETags). */
    conditionalWrites: z.boolean().default(false),
    /** The record's fields as mappings see them. */
    fields: z.record(z.string().regex(/^[A-Za-z_@][A-Za-z0-9_$@-]{0,99}$/, { error: 'field names are letters, digits, _, @, $ or -' }), fieldSchemaSchema),
    samples: z.array(z.record(z.string(), z.unknown())).max(5).optional(),
  })
  .superRefine((object, ctx) => {
    if (Object.keys(object.fields).length === 0) ctx.addIssue({ code: 'custom', path: ['fields'], message: 'list at least one field, so mappings can be checked' });
    (object.samples ?? []).forEach((sample, i) => {
      for (const problem of checkRecord({ properties: object.fields }, sample)) ctx.addIssue({ code: 'custom', path: ['samples', i], message: problem });
    });
    if (object.pagination.type === 'page' && object.pagination.hasMorePath === undefined && object.pagination.sizeParam === undefined) {
      ctx.addIssue({ code: 'custom', path: ['pagination'], message: 'page pagination needs sizeParam or hasMorePath to know when to stop' });
    }
  });

const auth = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('header') }),
  z.strictObject({ type: z.literal('basic') }),
  z.strictObject({
    type: z.literal('oauth2-client-credentials'),
    tokenUrl: httpUrl,
    scope: z.string().max(1000).optional(),
    audience: z.string().max(1000).optional(),
    /** How the client id and secret reach the token endpoint. @default 'basic' */
    clientAuthentication: z.enum(['basic', 'body']).default('basic'),
  }),
]);

/** Config of a `rest` connection: a JSON-over-HTTP API described as data. */
export const restConfigSchema = z.strictObject({
  baseUrl: httpUrl.describe('Every path is relative to this URL'),
  auth: auth.default({ type: 'none' }),
  /** Fixed, non-secret headers on every call (e.g. OData-Version, Prefer). */
  headers: z.array(pair('headers')).max(20).optional(),
  /** Fixed, non-secret query parameters on every call (e.g. Zoho's organization_id). */
  query: z.array(pair('query')).max(20).optional(),
  /** Header carrying the idempotency key on writes; false when the API has none. */
  idempotencyHeader: z.union([headerName, z.literal(false)]).default('Idempotency-Key'),
  /** A cheap GET for the connection test. @default the first object's list */
  checkPath: relativePath.optional(),
  /** The quota the vendor publishes. */
  rateLimit: z.strictObject({ requests: z.number().int().min(1), perSeconds: z.number().int().min(1) }).optional(),
  objects: z
    .record(z.string().regex(OBJECT_NAME_RE, { error: 'object names are a letter then letters, digits or _' }), restObjectSchema)
    .refine((o) => Object.keys(o).length > 0, { error: 'describe at least one object' }),
});

export type RestConfig = z.output<typeof restConfigSchema>;
export type RestObject = z.output<typeof restObjectSchema>;

const headerCredentials = z.strictObject({ name: headerName, value: z.string().min(1).max(8192) });
const basicCredentials = z.strictObject({ username: z.string().min(1).max(500), password: z.string().max(1000) });
const oauth2Credentials = z.strictObject({
  clientId: z.string().min(1).max(1000),
  clientSecret: z.string().min(1).max(4000),
  /** Cached by the connector; not entered by admins. */
  accessToken: z.string().max(16_384).optional(),
  accessTokenExpiresAt: z.iso.datetime().optional(),
});
const noCredentials = z.strictObject({});

/** Every credentials shape, for forms; `restCredentialsFor` picks the one a config's auth needs. */
export const restCredentialsSchema = z.union([headerCredentials, basicCredentials, oauth2Credentials, noCredentials]);
export type RestCredentials = z.output<typeof restCredentialsSchema>;
export type OAuth2Credentials = z.output<typeof oauth2Credentials>;

/** The credentials a config's auth type needs: header `{ name, value }`, basic `{ username, password }`, OAuth2 `{ clientId, clientSecret }`. */
export function restCredentialsFor(config: RestConfig): z.ZodType<RestCredentials> {
  switch (config.auth.type) {
    case 'header':
      return headerCredentials;
    case 'basic':
      return basicCredentials;
    case 'oauth2-client-credentials':
      return oauth2Credentials;
    case 'none':
      return noCredentials;
  }
}
