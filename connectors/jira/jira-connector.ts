import { defineConnector } from '../sdk/index.ts';
import { checkJira } from './check-jira.ts';
import { commentObject } from './comment-object.ts';
import { getJiraRecord } from './get-jira-record.ts';
import { issueObject } from './issue-object.ts';
import { jiraRateLimits } from './jira-rate-limits.ts';
import { jiraConfigSchema, jiraCredentialsSchema } from './jira-settings.ts';
import { parseJiraWebhook } from './parse-jira-webhook.ts';
import { pullIssues } from './pull-issues.ts';
import { pushIssue } from './push-issue.ts';

/**
 * Jira Cloud through jira-client: milestones ↔ issues of one project, status through workflow
 * transitions, comments for probe replies, and admin webhooks signed with `X-Hub-Signature`
 * (scheme `jira`). API tokens over Basic auth, or OAuth 2.0 tokens refreshed once on a 401.
 */
export const jiraConnector = defineConnector({
  id: 'jira',
  displayName: 'Jira',
  description: 'Jira Cloud issues: create and update them from milestones, move status through transitions, poll and receive changes, and read comments for probe replies.',
  configSchema: jiraConfigSchema,
  credentialsSchema: jiraCredentialsSchema,
  objects: { issue: issueObject, comment: commentObject },
  rateLimits: jiraRateLimits,
  outboundUrls: (config) => [{ path: 'baseUrl', url: config.baseUrl }],
  check: checkJira,
  capabilities: {
    pull: pullIssues,
    get: getJiraRecord,
    push: { operations: ['create', 'update', 'delete'], run: pushIssue },
    webhook: { schemes: ['jira'], parse: parseJiraWebhook },
  },
});
