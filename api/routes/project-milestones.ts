import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { CSV_COLUMNS, exportMilestones, importMilestones, milestonesToCsv } from '../../core/milestones/index.ts';
import type { AppEnv } from '../app-env.ts';
import { jsonOut, requestContext, unwrap } from '../domain/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, problemResponses } from '../openapi/index.ts';
import { MilestoneSchema } from './milestones.ts';
import { ProjectSchema } from './projects.ts';

const ROLES = ['admin', 'manager', 'integration'] as const;

const ExportSchema = z
  .object({ format: z.literal('milestone-hub/milestones@1'), exportedAt: z.string(), project: ProjectSchema, milestones: z.array(MilestoneSchema) })
  .openapi('MilestoneExport');

const exportRoute = createRoute({
  method: 'get',
  path: '/v1/projects/{id}/milestones/export',
  tags: ['projects'],
  summary: "Export a project's milestones as JSON (lossless) or CSV",
  security: bearerSecurity,
  middleware: [requireAuth(...ROLES)] as const,
  request: { params: IdParam, query: z.object({ format: z.enum(['json', 'csv']).optional() }) },
  responses: {
    200: {
      description: 'The export; parents come before their children',
      content: { 'application/json': { schema: ExportSchema }, 'text/csv': { schema: z.string().openapi({ description: `Columns: ${CSV_COLUMNS.join(', ')}` }) } },
    },
    ...problemResponses(400, 401, 403, 404),
  },
});

const importRoute = createRoute({
  method: 'post',
  path: '/v1/projects/{id}/milestones/import',
  tags: ['projects'],
  summary: 'Import milestones from a JSON export or CSV',
  description:
    'Ids in the file only link records (parents, dependencies); every record gets a new id. Every record is checked; by default ' +
    'one bad record imports nothing and the answer (422) lists each problem with its row and column. With ?partial=true the good ' +
    'records are imported and the bad ones reported.',
  security: bearerSecurity,
  middleware: [requireAuth(...ROLES)] as const,
  request: {
    params: IdParam,
    query: z.object({ partial: z.enum(['true', 'false']).optional() }),
    body: {
      required: false,
      content: {
        'application/json': { schema: z.union([z.object({ milestones: z.array(z.unknown()) }).loose(), z.array(z.unknown())]).openapi('MilestoneImport') },
        'text/csv': { schema: z.string() },
      },
    },
  },
  responses: {
    201: {
      description: 'Imported',
      content: {
        'application/json': {
          schema: z.object({
            created: z.number().int(),
            ids: z.record(z.string(), z.string()),
            skipped: z.array(z.object({ row: z.number().int().nullable(), column: z.string().nullable(), message: z.string(), code: z.string() })),
          }),
        },
      },
    },
    ...problemResponses(400, 401, 403, 404, 413, 415, 422),
  },
});

export function registerProjectMilestoneRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(exportRoute, async (c) => {
    const { id } = c.req.valid('param');
    const exported = unwrap(await exportMilestones(requestContext(c), id));
    if (c.req.valid('query').format === 'csv') {
      return c.body(milestonesToCsv(exported.milestones), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="milestones-${id}.csv"`,
      });
    }
    return c.json(jsonOut(exported), 200);
  });

  app.openapi(importRoute, async (c) => {
    const { id } = c.req.valid('param');
    const partial = c.req.valid('query').partial === 'true';
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
    const source = type === 'text/csv' ? { format: 'csv' as const, text: await c.req.text() } : { format: 'json' as const, body: c.req.valid('json') };
    const result = unwrap(await importMilestones(requestContext(c), id, source, { partial }), { at: null });
    return c.json(result, 201);
  });
}
