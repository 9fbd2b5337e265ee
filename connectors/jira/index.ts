export { jiraConnector } from './jira-connector.ts';
export { jiraConfigSchema, jiraCredentialsSchema, type JiraConfig, type JiraCredentials } from './jira-settings.ts';
export { addComment, listComments } from './jira-comments.ts';
export { parseJiraWebhook, type JiraWebhookChange } from './parse-jira-webhook.ts';
export { idempotencyLabel } from './idempotency-label.ts';
export type { HubIssueProperty } from './push-issue.ts';
