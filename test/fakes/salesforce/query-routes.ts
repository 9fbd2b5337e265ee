import type { Hono } from 'hono';
import { SalesforceError } from './salesforce-error.ts';
import type { SalesforceContext, SalesforceEnv } from './salesforce-context.ts';

const MIN_BATCH = 200;
const MAX_BATCH = 2000;

/** Query and QueryAll, with `nextRecordsUrl` paging through server-side cursors. */
export function registerQueryRoutes(app: Hono<SalesforceEnv>, ctx: SalesforceContext): void {
  for (const resource of ['query', 'queryAll'] as const) {
    for (const path of [`/services/data/:version/${resource}`, `/services/data/:version/${resource}/`]) {
      app.get(path, (c) => {
        const soql = c.req.query('q');
        if (!soql) throw new SalesforceError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
        const version = c.get('version');
        const result = ctx.soql.run(soql, { includeDeleted: resource === 'queryAll', version });
        if (result.countOnly) return c.json({ totalSize: result.totalSize, done: true, records: [] });
        // Salesforce honours batchSize only within 200..2000; the fake's own cap stands in for
        // the smaller batches the real service picks for wide records.
        const asked = /batchSize\s*=\s*(\d+)/i.exec(c.req.header('sforce-query-options') ?? '')?.[1];
        const requested = asked ? Math.min(MAX_BATCH, Math.max(MIN_BATCH, Number(asked))) : MAX_BATCH;
        const batchSize = Math.min(requested, ctx.queryBatchSize);
        return c.json(
          ctx.cursors.firstPage({ owner: ctx.userId, records: result.records, totalSize: result.totalSize, batchSize }, version),
        );
      });
    }
    app.get(`/services/data/:version/${resource}/:locator`, (c) =>
      c.json(ctx.cursors.nextPage(c.req.param('locator'), c.get('version'))),
    );
  }
}
