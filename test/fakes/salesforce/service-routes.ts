import type { Hono } from 'hono';
import type { SalesforceContext, SalesforceEnv } from './salesforce-context.ts';
import { LATEST_API_VERSION, OLDEST_API_VERSION } from './salesforce-context.ts';

const RELEASES = ['Spring', 'Summer', 'Winter'] as const;

/** Version discovery, the resource directory and org limits. */
export function registerServiceRoutes(app: Hono<SalesforceEnv>, ctx: SalesforceContext): void {
  // Listing versions needs no session on the real service either.
  for (const path of ['/services/data', '/services/data/']) {
    app.get(path, (c) => {
      const out = [];
      for (let v = OLDEST_API_VERSION; v <= LATEST_API_VERSION; v++) {
        const release = RELEASES[(v - OLDEST_API_VERSION) % 3]!;
        const year = 11 + Math.floor((v - OLDEST_API_VERSION) / 3) + (release === 'Winter' ? 1 : 0);
        out.push({ label: `${release} '${year}`, url: `/services/data/v${v}.0`, version: `${v}.0` });
      }
      return c.json(out);
    });
  }

  for (const path of ['/services/data/:version', '/services/data/:version/']) {
    app.get(path, (c) => {
      const base = `/services/data/v${c.get('version')}`;
      return c.json({
        limits: `${base}/limits`,
        sobjects: `${base}/sobjects`,
        query: `${base}/query`,
        queryAll: `${base}/queryAll`,
        composite: `${base}/composite`,
      });
    });
  }

  app.get('/services/data/:version/limits', (c) => {
    const { used, max } = ctx.apiUsage;
    return c.json({
      DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) },
      DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
      DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
      DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
      DataStorageMB: { Max: 5, Remaining: 5 },
      FileStorageMB: { Max: 20, Remaining: 20 },
    });
  });
}
