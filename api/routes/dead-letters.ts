import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { groupDeadLetters, listDeadLetters, syncDeadLettersCollection, type SyncDeadLetterDoc } from '../../core/sync/index.ts';
import { replayDeadLetter, replayDeadLetters } from '../../queues/sync/index.ts';
import type { AppEnv } from '../app-env.ts';
import { jsonOut } from '../domain/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, problemResponses } from '../openapi/index.ts';
import { syncQueues } from '../sync/index.ts';

const ROLES = ['admin', 'manager', 'integration'] as const;
const STATUSES = ['open', 'replayed', 'resolved'] as const;
const BULK_MAX = 10_000;

const DeadLetterSchema = z
  .object({
    id: z.string(),
    direction: z.enum(['out', 'in']),
    status: z.enum(STATUSES),
    connectionId: z.string(),
    entity: z.string().openapi({ description: 'The hub object (outbound) or remote object (inbound) the record is' }),
    mappingId: z.string().optional(),
    hubObject: z.string().optional(),
    hubId: z.string().optional(),
    remoteObject: z.string().optional(),
    remoteId: z.string().optional(),
    job: z.string(),
    error: z.object({ code: z.string(), name: z.string(), message: z.string(), status: z.number().int().optional(), body: z.string().optional() }),
    failures: z.number().int(),
    replayCount: z.number().int(),
    firstFailedAt: z.string(),
    lastFailedAt: z.string(),
    lastReplayedAt: z.string().optional(),
    resolvedAt: z.string().optional(),
  })
  .openapi('DeadLetter');

const GroupSchema = z
  .object({ connectionId: z.string(), entity: z.string(), status: z.enum(STATUSES), count: z.number().int(), lastFailedAt: z.string() })
  .openapi('DeadLetterGroup');

const Filters = {
  connectionId: z.string().min(1).max(64).optional(),
  mappingId: z.string().min(1).max(64).optional(),
  hubId: z.string().min(1).max(64).optional(),
};

const list = createRoute({
  method: 'get',
  path: '/v1/dead-letters',
  tags: ['sync'],
  summary: 'Sync work that failed for good, grouped by connection and entity',
  description: 'Counts per connection, entity and status (`groups`), and the letters themselves, newest failure first. Open letters by default.',
  security: bearerSecurity,
  middleware: [requireAuth(...ROLES)] as const,
  request: {
    query: z.object({
      ...Filters,
      status: z.enum([...STATUSES, 'all']).default('open'),
      entity: z.string().min(1).max(100).optional(),
      cursor: z.string().max(512).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: {
      description: 'Groups and one page of letters',
      content: { 'application/json': { schema: z.object({ groups: z.array(GroupSchema), items: z.array(DeadLetterSchema), nextCursor: z.string().nullable() }) } },
    },
    ...problemResponses(400, 401, 403),
  },
});

const replayOne = createRoute({
  method: 'post',
  path: '/v1/dead-letters/{id}/replay',
  tags: ['sync'],
  summary: "Run a dead letter's job again, with the mapping's current active version",
  security: bearerSecurity,
  middleware: [requireAuth(...ROLES)] as const,
  request: { params: IdParam },
  responses: {
    202: { description: 'Queued', content: { 'application/json': { schema: z.object({ id: z.string(), jobId: z.string(), status: z.literal('replayed') }) } } },
    ...problemResponses(401, 403, 404, 409, 503),
  },
});

const replayMany = createRoute({
  method: 'post',
  path: '/v1/dead-letters/replay',
  tags: ['sync'],
  summary: 'Replay every open dead letter a filter matches (after a mapping fix)',
  description: `Oldest failure first, up to \`limit\` (at most ${BULK_MAX}); \`truncated\` says more matched.`,
  security: bearerSecurity,
  middleware: [requireAuth(...ROLES)] as const,
  request: {
    body: { required: true, content: { 'application/json': { schema: z.object({ ...Filters, limit: z.number().int().min(1).max(BULK_MAX).default(1000) }).strict().openapi('DeadLetterReplayFilter') } } },
  },
  responses: {
    202: { description: 'Counts', content: { 'application/json': { schema: z.object({ matched: z.number().int(), replayed: z.number().int(), truncated: z.boolean() }) } } },
    ...problemResponses(400, 401, 403, 415, 503),
  },
});

function letterOut(d: SyncDeadLetterDoc): z.infer<typeof DeadLetterSchema> {
  return jsonOut({
    id: d._id,
    direction: d.direction,
    status: d.status,
    connectionId: d.connectionId,
    entity: d.entity,
    ...(d.mappingId === undefined ? {} : { mappingId: d.mappingId }),
    ...(d.hubObject === undefined ? {} : { hubObject: d.hubObject }),
    ...(d.hubId === undefined ? {} : { hubId: d.hubId }),
    ...(d.remoteObject === undefined ? {} : { remoteObject: d.remoteObject }),
    ...(d.remoteId === undefined ? {} : { remoteId: d.remoteId }),
    job: `${d.queue}/${d.jobName}`,
    error: d.error,
    failures: d.failures,
    replayCount: d.replayCount,
    firstFailedAt: d.firstFailedAt,
    lastFailedAt: d.lastFailedAt,
    ...(d.lastReplayedAt === undefined ? {} : { lastReplayedAt: d.lastReplayedAt }),
    ...(d.resolvedAt === undefined ? {} : { resolvedAt: d.resolvedAt }),
  }) as z.infer<typeof DeadLetterSchema>;
}

export function registerDeadLetterRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, async (c) => {
    const { status, cursor, limit, ...rest } = c.req.valid('query');
    const query = { ...rest, ...(status === 'all' ? {} : { status }) };
    const db = c.get('db');
    const [groups, page] = await Promise.all([groupDeadLetters(db, query), listDeadLetters(db, query, { cursor: cursor ?? null, limit })]);
    return c.json({ groups: jsonOut(groups), items: page.items.map(letterOut), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(replayOne, async (c) => {
    const db = c.get('db');
    const letter = await db.collection(syncDeadLettersCollection).findById(c.req.valid('param').id);
    if (letter === null) throw new ApiError('not_found', { detail: 'No such dead letter' });
    if (letter.status === 'resolved') throw new ApiError('conflict', { detail: 'This dead letter is resolved: its record synced since' });
    const { jobId } = await replayDeadLetter({ queues: syncQueues(c), now: c.get('services').now }, db, letter);
    return c.json({ id: letter._id, jobId, status: 'replayed' as const }, 202);
  });

  app.openapi(replayMany, async (c) => {
    const { limit, ...query } = c.req.valid('json');
    const result = await replayDeadLetters({ queues: syncQueues(c), now: c.get('services').now }, c.get('db'), query, { limit });
    return c.json(result, 202);
  });
}
