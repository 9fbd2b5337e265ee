import type { RateLimit } from '../sdk/index.ts';

/**
 * The quotas Atlassian publishes for Jira Cloud REST calls
 * (developer.atlassian.com/cloud/jira/platform/rate-limiting). Burst limits per endpoint and the
 * hourly points quota of OAuth apps are enforced too but not published as fixed numbers; their 429s
 * carry Retry-After, which the connector passes on.
 */
export const jiraRateLimits: readonly RateLimit[] = [
  {
    requests: 20,
    perSeconds: 2,
    scope: 'connection',
    description: 'Per-issue write limit: at most 20 writes to one issue every 2 s (429, RateLimit-Reason jira-per-issue-on-write). Counted per issue, not per connection.',
  },
  {
    requests: 100,
    perSeconds: 30,
    scope: 'connection',
    description: 'Per-issue write limit: at most 100 writes to one issue every 30 s. Counted per issue, not per connection.',
  },
];
