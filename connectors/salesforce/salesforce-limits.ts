import type { RateLimit } from '../sdk/index.ts';
import type { SalesforceConfig } from './salesforce-settings.ts';

/**
 * What Salesforce publishes about its REST API limits, as data. The daily allowance depends on
 * the edition and licences (Enterprise: 100,000 plus 1,000 per user licence; Developer: 15,000),
 * so the connection's config carries the org's figure.
 */
export const SALESFORCE_LIMITS = {
  /** Requests running longer than 20 s that an org may have open at once (production orgs). */
  concurrentLongRunningRequests: 25,
  /** Largest query batch; a LIMIT above it pages through `nextRecordsUrl`. */
  queryBatchSize: 2000,
  /** SOQL's FIELDS(ALL) needs a LIMIT of at most this. */
  fieldsAllLimit: 200,
  /** Idle query cursors die after this long. */
  queryCursorIdleMs: 15 * 60_000,
} as const;

/** The rate budget a connection shares across polling, writes and probes. */
export function salesforceRateLimits(config: SalesforceConfig): RateLimit[] {
  return [
    {
      requests: config.dailyApiRequests,
      perSeconds: 86_400,
      scope: 'account',
      description: 'Rolling 24-hour API request allowance of the org, shared by every app and user (see /limits, DailyApiRequests)',
    },
  ];
}
