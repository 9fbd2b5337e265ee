import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { RemoteRecord } from '../../connectors/index.ts';
import { loadConnection } from '../../core/connections/index.ts';
import {
  activateMappingVersion,
  addMappingVersion,
  createMapping,
  deleteMapping,
  getMappingVersion,
  listMappings,
  listMappingVersions,
  loadMapping,
  type MappingDoc,
  type MappingVersionDoc,
} from '../../core/mapping-store/index.ts';
import {
  createCompileCache,
  diffSpecs,
  hashMapped,
  previewMapping,
  starterMappings,
  type CompiledMapping,
  type MappingSpec,
  type StarterMapping,
} from '../../mappings/index.ts';
import type { AppEnv } from '../app-env.ts';
import { connectionContext, connectorsOf, vendorProblem } from '../connections/index.ts';
import { ApiError } from '../errors/index.ts';
import { linkedTargets, readTextBody, resolveSpec, type ResolvedSpec, type TextBody } from '../mappings/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, pageOf, problemResponses } from '../openapi/index.ts';

const READERS = ['admin', 'manager', 'integration'] as const;
const PREVIEWERS = ['admin', 'manager'] as const;
const MAX_PREVIEW_RECORDS = 100;
const MAX_LIVE_RECORDS = 50;
const tags = ['mappings'];
const jsonObject = z.record(z.string(), z.unknown());

const FieldMappingDoc = z
  .object({
    hub: z.string(),
    remote: z.string(),
    toRemote: z.string().optional(),
    toHub: z.string().optional(),
    valueMap: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    default: z.unknown().optional(),
    required: z.boolean().optional(),
    owner: z.enum(['hub', 'remote', 'newest']).optional(),
  })
  .openapi('FieldMapping');

const MappingSpecDoc = z
  .object({
    connectionId: z.string(),
    name: z.string().optional().openapi({ description: 'Defaults to "<hubObject> ↔ <remoteObject>"' }),
    hubObject: z.string().openapi({ example: 'milestone' }),
    remoteObject: z.string().openapi({ example: 'issue' }),
    direction: z.enum(['in', 'out', 'both']),
    match: z.object({ hub: z.string(), remote: z.string() }).optional(),
    filter: z.string().optional().openapi({ description: 'JSONata predicate; $direction is "out" or "in"' }),
    fields: z.array(FieldMappingDoc),
    deletePolicy: z.enum(['ignore', 'delete', 'close']).optional(),
  })
  .openapi('MappingSpec', { description: 'A mapping spec, sent as JSON or YAML' });

const MappingSchema = z
  .object({
    id: z.string(),
    connectionId: z.string(),
    name: z.string(),
    hubObject: z.string(),
    remoteObject: z.string(),
    direction: z.enum(['in', 'out', 'both']),
    activeVersion: z.number().int().nullable(),
    latestVersion: z.number().int(),
    previousActiveVersion: z.number().int().optional(),
    spec: MappingSpecDoc.optional().openapi({ description: 'The active version' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Mapping');

const VersionSchema = z
  .object({
    version: z.number().int(),
    active: z.boolean(),
    specHash: z.string(),
    createdAt: z.string(),
    spec: MappingSpecDoc.optional(),
    source: z.object({ mediaType: z.string(), text: z.string() }).optional().openapi({ description: 'The text as sent, comments kept' }),
  })
  .openapi('MappingVersion');

const IssueSchema = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
  position: z.number().int().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  token: z.string().optional(),
});

const PreviewResultSchema = z
  .object({
    results: z.array(
      z.object({
        output: jsonObject.optional(),
        errors: z.array(IssueSchema),
        skipped: z.boolean(),
        diff: z.array(z.object({ path: z.string(), op: z.enum(['add', 'remove', 'replace']), from: z.unknown().optional(), to: z.unknown().optional() })).optional(),
        linked: z
          .object({ hubId: z.string(), remoteId: z.string(), unread: z.enum(['deleted', 'not_readable']).optional() })
          .optional()
          .openapi({ description: 'For a stored mapping: the record is linked through it, and the diff is against its twin as it is now' }),
      }),
    ),
    records: z.array(jsonObject).optional().openapi({ description: 'For a live preview: the records pulled' }),
  })
  .openapi('MappingPreview');

const specBody = {
  required: true,
  content: {
    'application/json': { schema: { $ref: '#/components/schemas/MappingSpec' } },
    'application/yaml': { schema: { $ref: '#/components/schemas/MappingSpec' } },
  },
};

const AdhocPreviewBody = z.strictObject({
  spec: z.unknown(),
  direction: z.enum(['out', 'in']),
  records: z.array(z.unknown()).min(1).max(MAX_PREVIEW_RECORDS),
  current: z.array(z.unknown()).max(MAX_PREVIEW_RECORDS).optional(),
});
const StoredPreviewBody = z
  .strictObject({
    direction: z.enum(['out', 'in']),
    records: z.array(z.unknown()).min(1).max(MAX_PREVIEW_RECORDS).optional(),
    live: z.number().int().min(1).max(MAX_LIVE_RECORDS).optional(),
    current: z.array(z.unknown()).max(MAX_PREVIEW_RECORDS).optional(),
    /** Ids of the sample remote records (direction in), to find their links. */
    remoteIds: z.array(z.string().min(1).max(256)).max(MAX_PREVIEW_RECORDS).optional(),
    /** Diff linked records against their twins (when `current` is not sent). @default true */
    linked: z.boolean().optional(),
    version: z.number().int().min(1).optional(),
  })
  .refine((b) => (b.records === undefined) !== (b.live === undefined), { error: 'send either records or live', path: ['records'] });

const ActivateBody = z.object({ version: z.number().int().min(1) }).strict().openapi('ActivateMapping');
const RollbackBody = z.object({ version: z.number().int().min(1).optional() }).strict().openapi('RollbackMapping');
const InstallBody = z.object({ connectionId: z.string().min(1).max(64), activate: z.boolean().default(true) }).strict().openapi('InstallStarter');
const ActivateQuery = z.object({ activate: z.enum(['true', 'false']).default('true') });
const VersionParams = IdParam.extend({ version: z.coerce.number().int().min(1).openapi({ param: { name: 'version', in: 'path' } }) });
const NameParam = z.object({ name: z.string().min(1).max(100).openapi({ param: { name: 'name', in: 'path' } }) });
const DiffQuery = z.object({ from: z.coerce.number().int().min(1).optional(), to: z.coerce.number().int().min(1).optional() });
const ListQuery = z.object({ connectionId: z.string().max(64).optional(), cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

const StarterSchema = z
  .object({ name: z.string(), connector: z.string(), title: z.string(), hubObject: z.string(), remoteObject: z.string(), direction: z.enum(['in', 'out', 'both']), fields: z.number().int(), available: z.boolean() })
  .openapi('StarterMapping');

const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags, security: bearerSecurity, ...r });

const listStarters = route({
  method: 'get', path: '/v1/mappings/starters', summary: 'Ready-made mappings shipped with the hub',
  middleware: [requireAuth(...READERS)] as const,
  responses: { 200: { description: 'Starters', content: { 'application/json': { schema: z.object({ items: z.array(StarterSchema) }) } } }, ...problemResponses(401, 403) },
});
const installStarter = route({
  method: 'post', path: '/v1/mappings/starters/{name}/install', summary: 'Install a starter mapping on a connection (admin)',
  middleware: [requireAuth('admin')] as const,
  request: { params: NameParam, body: { required: true, content: { 'application/json': { schema: InstallBody } } } },
  responses: { 201: { description: 'Installed', content: { 'application/json': { schema: MappingSchema } } }, ...problemResponses(400, 401, 403, 404, 415, 422) },
});
const adhocPreview = route({
  method: 'post', path: '/v1/mappings/preview', summary: 'Map sample records with an unsaved spec; writes nothing',
  middleware: [requireAuth(...PREVIEWERS)] as const,
  request: { body: { required: true, content: { 'application/json': { schema: { type: 'object' } }, 'application/yaml': { schema: { type: 'object' } } } } },
  responses: { 200: { description: 'Mapped records', content: { 'application/json': { schema: PreviewResultSchema } } }, ...problemResponses(400, 401, 403, 415, 422) },
});
const list = route({
  method: 'get', path: '/v1/mappings', summary: "List the tenant's mappings",
  middleware: [requireAuth(...READERS)] as const,
  request: { query: ListQuery },
  responses: { 200: { description: 'A page of mappings', content: { 'application/json': { schema: pageOf(MappingSchema) } } }, ...problemResponses(400, 401, 403) },
});
const create = route({
  method: 'post', path: '/v1/mappings', summary: 'Create a mapping from a JSON or YAML spec (admin); version 1 is active unless ?activate=false',
  middleware: [requireAuth('admin')] as const,
  request: { query: ActivateQuery, body: specBody },
  responses: { 201: { description: 'Created', content: { 'application/json': { schema: MappingSchema } } }, ...problemResponses(400, 401, 403, 415, 422) },
});
const one = route({
  method: 'get', path: '/v1/mappings/{id}', summary: 'One mapping with its active spec',
  middleware: [requireAuth(...READERS)] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'The mapping', content: { 'application/json': { schema: MappingSchema } } }, ...problemResponses(401, 403, 404) },
});
const remove = route({
  method: 'delete', path: '/v1/mappings/{id}', summary: 'Delete a mapping; sync stops using it (admin)',
  middleware: [requireAuth('admin')] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404) },
});
const versions = route({
  method: 'get', path: '/v1/mappings/{id}/versions', summary: 'Every version of a mapping, oldest first',
  middleware: [requireAuth(...READERS)] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'Versions', content: { 'application/json': { schema: z.object({ items: z.array(VersionSchema) }) } } }, ...problemResponses(401, 403, 404) },
});
const version = route({
  method: 'get', path: '/v1/mappings/{id}/versions/{version}', summary: 'One version, with its spec and the text it was sent as',
  middleware: [requireAuth(...READERS)] as const,
  request: { params: VersionParams },
  responses: { 200: { description: 'The version', content: { 'application/json': { schema: VersionSchema } } }, ...problemResponses(400, 401, 403, 404) },
});
const addVersion = route({
  method: 'post', path: '/v1/mappings/{id}/versions', summary: 'Save a new version (admin); it becomes active unless ?activate=false',
  middleware: [requireAuth('admin')] as const,
  request: { params: IdParam, query: ActivateQuery, body: specBody },
  responses: { 201: { description: 'Saved', content: { 'application/json': { schema: MappingSchema } } }, ...problemResponses(400, 401, 403, 404, 415, 422) },
});
const activate = route({
  method: 'post', path: '/v1/mappings/{id}/activate', summary: 'Make a version the active one (admin)',
  middleware: [requireAuth('admin')] as const,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ActivateBody } } } },
  responses: { 200: { description: 'Activated', content: { 'application/json': { schema: MappingSchema } } }, ...problemResponses(400, 401, 403, 404, 409, 415) },
});
const rollback = route({
  method: 'post', path: '/v1/mappings/{id}/rollback', summary: 'Activate an earlier version: the given one, else the one active before (admin)',
  middleware: [requireAuth('admin')] as const,
  request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: RollbackBody } } } },
  responses: { 200: { description: 'Rolled back', content: { 'application/json': { schema: MappingSchema } } }, ...problemResponses(400, 401, 403, 404, 409, 415, 422) },
});
const diff = route({
  method: 'get', path: '/v1/mappings/{id}/diff', summary: 'What changed between two versions, and which hub fields a resync must cover',
  middleware: [requireAuth(...READERS)] as const,
  request: { params: IdParam, query: DiffQuery },
  responses: {
    200: { description: 'The diff', content: { 'application/json': { schema: z.object({ from: z.number().int(), to: z.number().int(), diff: jsonObject }) } } },
    ...problemResponses(400, 401, 403, 404),
  },
});
const storedPreview = route({
  method: 'post', path: '/v1/mappings/{id}/preview', summary: 'Map sample records, or N live records pulled through the connection; writes nothing',
  middleware: [requireAuth(...PREVIEWERS)] as const,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: { type: 'object' } }, 'application/yaml': { schema: { type: 'object' } } } } },
  responses: { 200: { description: 'Mapped records', content: { 'application/json': { schema: PreviewResultSchema } } }, ...problemResponses(400, 401, 403, 404, 415, 422, 429, 503) },
});

type MappingOut = z.infer<typeof MappingSchema>;

function mappingOut(m: MappingDoc, active?: MappingVersionDoc | null): MappingOut {
  return {
    id: m._id,
    connectionId: m.connectionId,
    name: m.name,
    hubObject: m.hubObject,
    remoteObject: m.remoteObject,
    direction: m.direction,
    activeVersion: m.activeVersion,
    latestVersion: m.latestVersion,
    ...(m.previousActiveVersion === undefined ? {} : { previousActiveVersion: m.previousActiveVersion }),
    ...(active ? { spec: JSON.parse(active.spec) as z.infer<typeof MappingSpecDoc> } : {}),
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

function versionOut(v: MappingVersionDoc, m: MappingDoc, withSpec: boolean): z.infer<typeof VersionSchema> {
  return {
    version: v.number,
    active: m.activeVersion === v.number,
    specHash: v.specHash,
    createdAt: v.createdAt.toISOString(),
    ...(withSpec ? { spec: JSON.parse(v.spec) as z.infer<typeof MappingSpecDoc> } : {}),
    ...(withSpec && v.source !== undefined ? { source: v.source } : {}),
  };
}

/** The envelope of a preview body, checked like any request body (400 with body.* paths). */
function envelope<T>(schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new ApiError('validation_failed', {
    detail: 'Some fields are missing or invalid; see errors',
    errors: parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message, code: i.code })),
  });
}

async function found(c: Context<AppEnv>, id: string): Promise<MappingDoc> {
  const mapping = await loadMapping(c.get('db'), id);
  if (mapping === null) throw new ApiError('not_found', { detail: 'No such mapping' });
  return mapping;
}

async function versionOf(c: Context<AppEnv>, mapping: MappingDoc, n: number): Promise<MappingVersionDoc> {
  const v = await getMappingVersion(c.get('db'), mapping._id, n);
  if (v === null) throw new ApiError('not_found', { detail: `The mapping has no version ${n}` });
  return v;
}

const versionInput = (spec: MappingSpec, c: Context<AppEnv>, body?: TextBody) => ({
  spec: JSON.stringify(spec),
  specHash: hashMapped(spec),
  ...(body === undefined ? {} : { source: { mediaType: body.mediaType, text: body.text } }),
  createdBy: c.get('auth').key._id,
});

const header = (spec: MappingSpec) => ({ connectionId: spec.connectionId, name: spec.name, hubObject: spec.hubObject, remoteObject: spec.remoteObject, direction: spec.direction });

function checkDirection(spec: MappingSpec, direction: 'out' | 'in'): void {
  if (spec.direction !== 'both' && spec.direction !== direction) {
    throw new ApiError('unprocessable', { detail: `This mapping maps ${spec.direction} only`, errors: [{ path: 'direction', code: 'direction_mismatch', message: `the spec's direction is "${spec.direction}"` }] });
  }
}

export function registerMappingRoutes(app: OpenAPIHono<AppEnv>): void {
  // One cache per app: each stored version compiles once; ad hoc previews are keyed by content.
  const cache = createCompileCache({ max: 512 });
  const compile = (resolved: ResolvedSpec, key?: { specId: string; version: number }): CompiledMapping =>
    cache.compile(resolved.spec, { hubSchema: resolved.schemas.hub, ...(key === undefined ? {} : { key }) });
  let starters: StarterMapping[] | undefined;
  const allStarters = (): StarterMapping[] => (starters ??= starterMappings());

  // Static paths first: /v1/mappings/starters and /preview must not be read as ids.
  app.openapi(listStarters, (c) => {
    const registry = connectorsAvailable(c);
    return c.json({
      items: allStarters().map((s) => ({
        name: s.id, connector: s.connector, title: s.spec.name, hubObject: s.spec.hubObject, remoteObject: s.spec.remoteObject, direction: s.spec.direction, fields: s.spec.fields.length, available: registry.has(s.connector),
      })),
    }, 200);
  });

  app.openapi(installStarter, async (c) => {
    const { name } = c.req.valid('param');
    const body = c.req.valid('json');
    const starter = allStarters().find((s) => s.id === name);
    if (starter === undefined) throw new ApiError('not_found', { detail: 'No such starter mapping' });
    const connection = await loadConnection(c.get('db'), body.connectionId);
    if (connection === null) throw new ApiError('unprocessable', { detail: 'No such connection', errors: [{ path: 'connectionId', code: 'unknown_connection', message: `no connection "${body.connectionId}" in this tenant` }] });
    if (connection.connector !== starter.connector) {
      throw new ApiError('unprocessable', { detail: `This starter is for ${starter.connector} connections`, errors: [{ path: 'connectionId', code: 'connector_mismatch', message: `the connection uses the ${connection.connector} connector; the starter needs ${starter.connector}` }] });
    }
    const resolved = await resolveSpec(c, { ...starter.spec, connectionId: connection._id });
    const mapping = await createMapping(c.get('db'), header(resolved.spec), versionInput(resolved.spec, c), { activate: body.activate, now: c.get('services').now() });
    return c.json(mappingOut(mapping, body.activate ? await getMappingVersion(c.get('db'), mapping._id, 1) : null), 201);
  });

  app.openapi(adhocPreview, async (c) => {
    const body = envelope(AdhocPreviewBody, (await readTextBody(c)).data);
    const resolved = await resolveSpec(c, body.spec, { prefix: 'spec.' });
    checkDirection(resolved.spec, body.direction);
    const preview = await previewMapping(compile(resolved), { direction: body.direction, records: body.records, ...(body.current === undefined ? {} : { current: body.current }) });
    return c.json(preview as z.infer<typeof PreviewResultSchema>, 200);
  });

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const page = await listMappings(c.get('db'), { ...(q.connectionId ? { connectionId: q.connectionId } : {}), cursor: q.cursor ?? null, limit: q.limit });
    return c.json({ items: page.items.map((m) => mappingOut(m)), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(create, async (c) => {
    const activateIt = c.req.valid('query').activate === 'true';
    const body = await readTextBody(c);
    const resolved = await resolveSpec(c, body.data);
    const mapping = await createMapping(c.get('db'), header(resolved.spec), versionInput(resolved.spec, c, body), { activate: activateIt, now: c.get('services').now() });
    compile(resolved, { specId: mapping._id, version: 1 });
    return c.json(mappingOut(mapping, activateIt ? await getMappingVersion(c.get('db'), mapping._id, 1) : null), 201);
  });

  app.openapi(one, async (c) => {
    const mapping = await found(c, c.req.valid('param').id);
    const active = mapping.activeVersion === null ? null : await getMappingVersion(c.get('db'), mapping._id, mapping.activeVersion);
    return c.json(mappingOut(mapping, active), 200);
  });

  app.openapi(remove, async (c) => {
    const mapping = await found(c, c.req.valid('param').id);
    await deleteMapping(c.get('db'), mapping, c.get('services').now());
    return c.body(null, 204);
  });

  app.openapi(versions, async (c) => {
    const mapping = await found(c, c.req.valid('param').id);
    const all = await listMappingVersions(c.get('db'), mapping._id);
    return c.json({ items: all.map((v) => versionOut(v, mapping, false)) }, 200);
  });

  app.openapi(version, async (c) => {
    const { id, version: n } = c.req.valid('param');
    const mapping = await found(c, id);
    return c.json(versionOut(await versionOf(c, mapping, n), mapping, true), 200);
  });

  app.openapi(addVersion, async (c) => {
    const activateIt = c.req.valid('query').activate === 'true';
    const mapping = await found(c, c.req.valid('param').id);
    const body = await readTextBody(c);
    const resolved = await resolveSpec(c, body.data);
    if (resolved.spec.connectionId !== mapping.connectionId) {
      throw new ApiError('unprocessable', { detail: 'A new version stays on its connection; create another mapping instead', errors: [{ path: 'connectionId', code: 'connection_changed', message: `this mapping belongs to ${mapping.connectionId}` }] });
    }
    const saved = await addMappingVersion(c.get('db'), mapping, header(resolved.spec), versionInput(resolved.spec, c, body), { activate: activateIt, now: c.get('services').now() });
    if (saved === null) throw new ApiError('not_found', { detail: 'No such mapping' });
    compile(resolved, { specId: mapping._id, version: saved.number });
    const active = saved.mapping.activeVersion === null ? null : await getMappingVersion(c.get('db'), mapping._id, saved.mapping.activeVersion);
    return c.json(mappingOut(saved.mapping, active), 201);
  });

  app.openapi(activate, async (c) => {
    const mapping = await found(c, c.req.valid('param').id);
    const target = await versionOf(c, mapping, c.req.valid('json').version);
    const updated = await activateMappingVersion(c.get('db'), mapping, target.number, { reason: 'activated', now: c.get('services').now() });
    if (updated === null) throw new ApiError('not_found', { detail: 'No such mapping' });
    return c.json(mappingOut(updated, target), 200);
  });

  app.openapi(rollback, async (c) => {
    const mapping = await found(c, c.req.valid('param').id);
    const asked = ((c.req.valid('json') as z.infer<typeof RollbackBody> | undefined) ?? {}).version;
    const n = asked ?? mapping.previousActiveVersion;
    if (n === undefined) throw new ApiError('unprocessable', { detail: 'There is no earlier active version to roll back to; name one', errors: [{ path: 'version', code: 'required', message: 'name the version to roll back to' }] });
    if (mapping.activeVersion !== null && n >= mapping.activeVersion) {
      throw new ApiError('unprocessable', { detail: `Version ${n} is not earlier than the active version ${mapping.activeVersion}; use activate`, errors: [{ path: 'version', code: 'not_earlier', message: `must be below ${mapping.activeVersion}` }] });
    }
    const target = await versionOf(c, mapping, n);
    const updated = await activateMappingVersion(c.get('db'), mapping, target.number, { reason: 'rolled-back', now: c.get('services').now() });
    if (updated === null) throw new ApiError('not_found', { detail: 'No such mapping' });
    return c.json(mappingOut(updated, target), 200);
  });

  app.openapi(diff, async (c) => {
    const mapping = await found(c, c.req.valid('param').id);
    const q = c.req.valid('query');
    const to = q.to ?? mapping.activeVersion ?? mapping.latestVersion;
    const from = q.from ?? Math.max(1, to - 1);
    const [a, b] = [await versionOf(c, mapping, from), await versionOf(c, mapping, to)];
    const result = diffSpecs(JSON.parse(a.spec) as MappingSpec, JSON.parse(b.spec) as MappingSpec);
    return c.json({ from, to, diff: { ...result } }, 200);
  });

  app.openapi(storedPreview, async (c) => {
    const mapping = await found(c, c.req.valid('param').id);
    const body = envelope(StoredPreviewBody, (await readTextBody(c)).data);
    const n = body.version ?? mapping.activeVersion ?? mapping.latestVersion;
    const stored = await versionOf(c, mapping, n);
    const resolved = await resolveSpec(c, JSON.parse(stored.spec));
    checkDirection(resolved.spec, body.direction);
    const compiled = compile(resolved, { specId: mapping._id, version: n });
    let records: readonly unknown[] = body.records ?? [];
    let pulled: Array<Record<string, unknown>> | undefined;
    let remoteIds: readonly (string | undefined)[] | undefined = body.remoteIds;
    if (body.live !== undefined) {
      const page = await pullLive(c, resolved, body.direction, body.live);
      pulled = page.map((r) => r.data);
      remoteIds = page.map((r) => r.id);
      records = pulled;
    }
    if (body.current !== undefined || body.linked === false) {
      const preview = await previewMapping(compiled, { direction: body.direction, records, ...(body.current === undefined ? {} : { current: body.current }) });
      return c.json({ ...(preview as z.infer<typeof PreviewResultSchema>), ...(pulled === undefined ? {} : { records: pulled }) }, 200);
    }
    // A linked record diffs against its twin as it is now; an unlinked one gets no diff.
    const linked = await linkedTargets(c, mapping, resolved, body.direction, records, remoteIds);
    const preview = await previewMapping(compiled, { direction: body.direction, records, current: records.map((_, i) => linked.get(i)?.current) });
    const results = preview.results.map((item, i) => {
      const link = linked.get(i);
      if (link === undefined || link.current === undefined) {
        const { diff: _unused, ...rest } = item;
        return link === undefined ? rest : { ...rest, linked: { hubId: link.hubId, remoteId: link.remoteId, ...(link.unread === undefined ? {} : { unread: link.unread }) } };
      }
      return { ...item, linked: { hubId: link.hubId, remoteId: link.remoteId } };
    });
    return c.json({ results: results as z.infer<typeof PreviewResultSchema>['results'], ...(pulled === undefined ? {} : { records: pulled }) }, 200);
  });
}

function connectorsAvailable(c: Context<AppEnv>): Set<string> {
  return new Set(connectorsOf(c.get('services')).ids());
}

/**
 * Pulls up to `n` remote records through the mapping's connection for a live preview. Refreshed
 * tokens stay in this request: a preview changes nothing.
 */
async function pullLive(c: Context<AppEnv>, resolved: ResolvedSpec, direction: 'out' | 'in', n: number): Promise<RemoteRecord[]> {
  if (c.get('auth').role !== 'admin') throw new ApiError('forbidden', { detail: 'A live preview reads the vendor with the connection credentials; it needs the admin role' });
  if (direction !== 'in') {
    throw new ApiError('unprocessable', { detail: 'A live preview pulls remote records, so its direction is "in"; send hub records to preview "out"', errors: [{ path: 'live', code: 'direction_mismatch', message: 'use direction "in" with live' }] });
  }
  const { connector, connection, spec } = resolved;
  if (connector.pull === undefined) {
    throw new ApiError('unprocessable', { detail: `The ${connector.id} connector cannot pull records; send sample records instead`, errors: [{ path: 'live', code: 'not_supported', message: 'this connector cannot pull' }] });
  }
  const made = connectionContext(c.get('services'), c.get('db'), connection, connector, { persistCredentials: false, signal: c.req.raw.signal });
  if (!made.ok) throw new ApiError('unprocessable', { detail: made.message });
  try {
    const page = await connector.pull(made.context, { object: spec.remoteObject, cursor: null, limit: n });
    return page.records.slice(0, n);
  } catch (err) {
    throw vendorProblem(err);
  }
}
