import type { RateLimit } from '../sdk/index.ts';

/** What Intuit publishes about the QuickBooks Online API limits, as data. */
export const QUICKBOOKS_LIMITS = {
  /** Requests per minute per company (realm) and app; more are answered 429 ThrottleExceeded. */
  requestsPerMinute: 500,
  /** Requests in flight at once per company and app. */
  maxConcurrentRequests: 10,
  /** Batch requests per minute per company. */
  batchRequestsPerMinute: 40,
  /** Objects one change-data-capture answer holds at most. */
  cdcMaxObjects: 1000,
  /** How far back change data capture reaches. */
  cdcLookbackDays: 30,
  /** Rows one query returns at most. */
  queryMaxResults: 1000,
} as const;

/** The rate budget a connection shares across polling, writes and probes. */
export const quickbooksRateLimits: readonly RateLimit[] = [
  {
    requests: QUICKBOOKS_LIMITS.requestsPerMinute,
    perSeconds: 60,
    scope: 'account',
    description: `Per company (realm) and app; at most ${QUICKBOOKS_LIMITS.maxConcurrentRequests} requests in flight at once`,
  },
];
