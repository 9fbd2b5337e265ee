import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { loadMapping } from '../../core/mapping-store/index.ts';
import {
  conflictValue,
  linkedRecordsOfMapping,
  linksOfHubRecord,
  listConflicts,
  listRuns,
  syncConflictsCollection,
  type SyncConflictDoc,
  type SyncLinkDoc,
  type SyncRunDoc,
} from '../../core/sync/index.ts';
import { pushJobOptions, resolveSyncConflict, SYNC_OUT_JOBS, type PushJobData } from '../../queues/sync/index.ts';
import type { AppEnv } from '../app-env.ts';
import { jsonOut, requestContext, visibleMilestone } from '../domain/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, pageOf, problemResponses } from '../openapi/index.ts';
import { syncQueues } from '../sync/index.ts';

const OPERATORS = ['admin', 'manager', 'integration'] as const;
const RESYNC_MAX = 1000;

const LinkSchema = z
  .object({
    connectionId: z.string(),
    mappingId: z.string(),
    mappingVersion: z.number().int().optional(),
    hubObject: z.string(),
    hubId: z.string(),
    remoteObject: z.string(),
    remoteId: z.string().nullable().openapi({ description: 'The vendor id; null while the remote record does not exist (a create that failed)' }),
    status: z.enum(['linked', 'conflict', 'failed', 'deleted', 'closed']),
    lastSyncedAt: z.string().optional(),
    lastDirection: z.enum(['out', 'in']).optional(),
    lastOperation: z.string().optional(),
    lastRemoteVersion: z.string().optional(),
    lastError: z.object({ code: z.string(), message: z.string(), at: z.string(), status: z.number().int().optional() }).optional(),
    conflictFields: z.array(z.string()),
  })
  .openapi('SyncLink');

const RunSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['outbound', 'poll', 'webhook', 'resync']),
    connectionId: z.string(),
    remoteObject: z.string().optional(),
    mappingId: z.string().optional(),
    startedAt: z.string(),
    endedAt: z.string().optional(),
    lastActivityAt: z.string(),
    counts: z.object({ created: z.number().int(), updated: z.number().int(), skipped: z.number().int(), conflicts: z.number().int(), failed: z.number().int() }),
  })
  .openapi('SyncRun');

const ConflictSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['field', 'transition_refused', 'create_refused']),
    status: z.enum(['open', 'resolved']),
    connectionId: z.string(),
    mappingId: z.string(),
    hubObject: z.string(),
    hubId: z.string().optional(),
    remoteObject: z.string(),
    remoteId: z.string(),
    field: z.string().optional(),
    remotePath: z.string().optional(),
    hubValue: z.unknown().optional(),
    remoteValue: z.unknown().optional(),
    reason: z.string(),
    message: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    resolution: z.object({ take: z.enum(['hub', 'remote', 'value']), value: z.unknown().optional(), by: z.string(), at: z.string() }).optional(),
  })
  .openapi('SyncConflict');

const ResolveBody = z
  .union([
    z.object({ take: z.enum(['hub', 'remote']) }).strict(),
    z.object({ take: z.literal('value'), value: z.unknown() }).strict(),
  ])
  .openapi('SyncConflictResolution', { description: '`hub` keeps the hub value and writes it to the remote; `remote` takes the remote value into the hub; `value` sets both to the given value' });

const ResyncBody = z
  .object({
    mappingId: z.string().min(1).max(64),
    hubIds: z.array(z.string().min(1).max(64)).min(1).max(RESYNC_MAX).optional().openapi({ description: 'Hub records to push; without it, every record linked through the mapping' }),
  })
  .strict()
  .openapi('SyncResync');

const lineage = createRoute({
  method: 'get',
  path: '/v1/milestones/{id}/sync',
  tags: ['sync'],
  summary: "Every external record this milestone is synced with, and the state of each",
  description: 'One item per connection and mapping: the remote id, the link status (linked, conflict, failed, deleted, closed), when it last synced and the last error.',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: {
    200: { description: 'The lineage', content: { 'application/json': { schema: z.object({ items: z.array(LinkSchema) }) } } },
    ...problemResponses(401, 404),
  },
});

const runs = createRoute({
  method: 'get',
  path: '/v1/sync-runs',
  tags: ['sync'],
  summary: 'Sync runs with counts: created, updated, skipped, conflicts, failed',
  description: 'A run is one polling sweep job, or one connection\'s outbound pushes (or webhook-driven applies) in one window (a minute), or the pushes one mapping change caused. Newest first.',
  security: bearerSecurity,
  middleware: [requireAuth(...OPERATORS)] as const,
  request: {
    query: z.object({
      connectionId: z.string().max(64).optional(),
      kind: z.enum(['outbound', 'poll', 'webhook', 'resync']).optional(),
      cursor: z.string().max(512).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: { description: 'One page', content: { 'application/json': { schema: pageOf(RunSchema) } } },
    ...problemResponses(400, 401, 403),
  },
});

const conflicts = createRoute({
  method: 'get',
  path: '/v1/sync-conflicts',
  tags: ['sync'],
  summary: 'Changes sync could not apply without overwriting someone, for review',
  security: bearerSecurity,
  middleware: [requireAuth(...OPERATORS)] as const,
  request: {
    query: z.object({
      status: z.enum(['open', 'resolved']).optional(),
      connectionId: z.string().max(64).optional(),
      mappingId: z.string().max(64).optional(),
      hubId: z.string().max(64).optional(),
      cursor: z.string().max(512).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: { description: 'One page, newest first', content: { 'application/json': { schema: pageOf(ConflictSchema) } } },
    ...problemResponses(400, 401, 403),
  },
});

const resolve = createRoute({
  method: 'post',
  path: '/v1/sync-conflicts/{id}/resolve',
  tags: ['sync'],
  summary: 'Settle a conflict: keep the hub value, take the remote one, or set a value',
  description: 'The hub side changes through the same services as any edit (workflow, rules, audit), as the calling key.',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ResolveBody } } } },
  responses: {
    200: { description: 'Resolved', content: { 'application/json': { schema: ConflictSchema } } },
    ...problemResponses(400, 401, 403, 404, 409, 422, 503),
  },
});

const resync = createRoute({
  method: 'post',
  path: '/v1/sync/resync',
  tags: ['sync'],
  summary: 'Push hub records through a mapping now',
  description: `Queues a push of the given hub records (or of every record linked through the mapping) with the mapping's active version. Records whose mapped values the remote already holds are not written.`,
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: ResyncBody } } } },
  responses: {
    202: { description: 'Queued', content: { 'application/json': { schema: z.object({ queued: z.number().int() }) } } },
    ...problemResponses(400, 401, 403, 404, 409, 503),
  },
});

function linkOut(link: SyncLinkDoc): z.infer<typeof LinkSchema> {
  return jsonOut({
    connectionId: link.connectionId,
    mappingId: link.mappingId,
    ...(link.mappingVersion === undefined ? {} : { mappingVersion: link.mappingVersion }),
    hubObject: link.hubObject,
    hubId: link.hubId,
    remoteObject: link.remoteObject,
    remoteId: link.remoteId ?? null,
    status: link.status,
    ...(link.lastSyncedAt === undefined ? {} : { lastSyncedAt: link.lastSyncedAt }),
    ...(link.lastDirection === undefined ? {} : { lastDirection: link.lastDirection }),
    ...(link.lastOperation === undefined ? {} : { lastOperation: link.lastOperation }),
    ...(link.lastRemoteVersion === undefined ? {} : { lastRemoteVersion: link.lastRemoteVersion }),
    ...(link.lastError === undefined ? {} : { lastError: link.lastError }),
    conflictFields: link.conflictFields ?? [],
  }) as z.infer<typeof LinkSchema>;
}

function runOut(run: SyncRunDoc): z.infer<typeof RunSchema> {
  return jsonOut({
    id: run._id,
    kind: run.kind,
    connectionId: run.connectionId,
    ...(run.remoteObject === undefined ? {} : { remoteObject: run.remoteObject }),
    ...(run.mappingId === undefined ? {} : { mappingId: run.mappingId }),
    startedAt: run.startedAt,
    ...(run.endedAt === undefined ? {} : { endedAt: run.endedAt }),
    lastActivityAt: run.lastActivityAt,
    counts: run.counts,
  }) as z.infer<typeof RunSchema>;
}

/** A conflict as the API shows it, values parsed back from their stored text. */
export function conflictOut(conflict: SyncConflictDoc): z.infer<typeof ConflictSchema> {
  const { _id, tenantId: _t, version: _v, key: _k, hubValue, remoteValue, resolution, remoteVersion: _rv, linkId: _l, ...rest } = conflict;
  return jsonOut({
    id: _id,
    ...rest,
    ...(hubValue === undefined ? {} : { hubValue: conflictValue(hubValue) }),
    ...(remoteValue === undefined ? {} : { remoteValue: conflictValue(remoteValue) }),
    ...(resolution === undefined ? {} : { resolution: { ...resolution, ...(resolution.value === undefined ? {} : { value: conflictValue(resolution.value) }) } }),
  }) as z.infer<typeof ConflictSchema>;
}

export function registerSyncRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(lineage, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    const links = await linksOfHubRecord(c.get('db'), 'milestone', id);
    return c.json({ items: links.map(linkOut) }, 200);
  });

  app.openapi(runs, async (c) => {
    const q = c.req.valid('query');
    const page = await listRuns(c.get('db'), { ...(q.connectionId === undefined ? {} : { connectionId: q.connectionId }), ...(q.kind === undefined ? {} : { kind: q.kind }), limit: q.limit, cursor: q.cursor ?? null });
    return c.json({ items: page.items.map(runOut), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(conflicts, async (c) => {
    const q = c.req.valid('query');
    const { cursor, limit, ...filter } = q;
    const page = await listConflicts(c.get('db'), { ...filter, limit, cursor: cursor ?? null });
    return c.json({ items: page.items.map(conflictOut), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(resolve, async (c) => {
    const { id } = c.req.valid('param');
    const existing = await c.get('db').collection(syncConflictsCollection).findById(id);
    if (existing === null) throw new ApiError('not_found', { detail: 'No such conflict' });
    const body = c.req.valid('json');
    const result = await resolveSyncConflict({ queues: syncQueues(c), now: c.get('services').now }, { ...requestContext(c), actor: { ...requestContext(c).actor, channel: 'sync-conflict' } }, id, body);
    if (!result.ok) {
      if (result.code === 'not_found') throw new ApiError('not_found', { detail: result.message });
      if (result.code === 'not_open') throw new ApiError('conflict', { detail: result.message });
      throw new ApiError(result.code === 'invalid' ? 'unprocessable' : 'conflict', { detail: result.message });
    }
    return c.json(conflictOut(result.conflict), 200);
  });

  app.openapi(resync, async (c) => {
    const body = c.req.valid('json');
    const db = c.get('db');
    const mapping = await loadMapping(db, body.mappingId);
    if (mapping === null) throw new ApiError('not_found', { detail: 'No such mapping' });
    if (mapping.direction === 'in' || mapping.activeVersion === null) throw new ApiError('conflict', { detail: 'The mapping does not write to the remote (direction "in", or no active version)' });
    const queues = syncQueues(c);
    const ids = body.hubIds ?? (await linkedRecordsOfMapping(db, mapping._id, { limit: RESYNC_MAX })).map((l) => l.hubId);
    const stamp = c.get('services').now().getTime().toString(36);
    await queues.get('sync-out').addBulk(
      ids.map((hubId) => {
        const data: PushJobData = { tenantId: db.tenantId, connectionId: mapping.connectionId, mappingId: mapping._id, hubObject: mapping.hubObject, hubId, cause: 'resync' };
        return { name: SYNC_OUT_JOBS.push, data, opts: pushJobOptions(`manual-${mapping._id}-${hubId}-${stamp}`, data, { attempts: 8, backoffMs: 1000 }) };
      }),
    );
    return c.json({ queued: ids.length }, 202);
  });
}
