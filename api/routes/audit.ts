import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { verifyAuditLog } from '../../core/audit-log/index.ts';
import type { AppEnv } from '../app-env.ts';
import { jsonOut } from '../domain/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { bearerSecurity, problemResponses } from '../openapi/index.ts';

const verify = createRoute({
  method: 'get',
  path: '/v1/audit/verify',
  tags: ['audit'],
  summary: "Re-check the tenant's hash-chained audit log; names the first entry that breaks it",
  security: bearerSecurity,
  middleware: [requireAuth('admin')] as const,
  responses: {
    200: {
      description: '`ok: true` with the count and head hash, or `ok: false` with the first broken entry',
      content: {
        'application/json': {
          schema: z
            .object({
              ok: z.boolean(),
              count: z.number().int().optional(),
              headHash: z.string().optional(),
              code: z.string().optional(),
              message: z.string().optional(),
              entry: z.object({ id: z.string(), seq: z.number().int(), action: z.string() }).loose().optional(),
            })
            .openapi('AuditVerification'),
        },
      },
    },
    ...problemResponses(401, 403),
  },
});

export function registerAuditRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(verify, async (c) => c.json(jsonOut(await verifyAuditLog(c.get('db'))), 200));
}
