import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const statusName = z.string().trim().min(1).max(255);

/** A `jira` connection's config: which site, project and issue type, and how statuses and deletes behave. */
export const jiraConfigSchema = z.strictObject({
  baseUrl: httpUrl
    .refine((url) => new URL(url).search === '' && new URL(url).hash === '', { error: 'must not carry a query or fragment' })
    .describe('Site URL (https://your-site.atlassian.net), or https://api.atlassian.com/ex/jira/{cloudId} for OAuth 2.0 tokens'),
  projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, { error: 'must be a Jira project key such as PAY' }).describe('The project issues are created in and pulled from'),
  issueType: z.string().trim().min(1).max(255).default('Task').describe('Issue type of the issues the hub creates, by name'),
  apiVersion: z.enum(['2', '3']).default('3').describe('REST API version: 3 speaks Atlassian Document Format, 2 plain strings'),
  doneStatuses: z
    .array(statusName)
    .min(1)
    .max(20)
    .optional()
    .describe("Statuses that count as closed; without them, every status in Jira's Done category does"),
  statusMap: z
    .array(z.strictObject({ from: statusName, to: statusName }))
    .max(50)
    .optional()
    .describe('Jira status names for mapped status values, when the site renamed its statuses'),
  deleteMode: z
    .enum(['delete', 'close'])
    .default('delete')
    .describe('What a delete does: delete the issue, or move it to a done status'),
});

/** Parsed `jira` config. */
export type JiraConfig = z.output<typeof jiraConfigSchema>;

const basicCredentials = z.strictObject({
  email: z.email({ error: 'must be the e-mail address of the Atlassian account' }),
  apiToken: z.string().min(1).max(2048),
});

const oauthCredentials = z
  .strictObject({
    bearer: z.string().min(1).max(8192),
    /** Atlassian rotates it on every refresh; the connector stores the new one. */
    refreshToken: z.string().min(1).max(8192).optional(),
    clientId: z.string().min(1).max(1000).optional(),
    clientSecret: z.string().min(1).max(4000).optional(),
    /** @default 'https://auth.atlassian.com/oauth/token' */
    tokenUrl: httpUrl.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.refreshToken === undefined) return;
    for (const field of ['clientId', 'clientSecret'] as const) {
      if (value[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is needed to refresh the token' });
    }
  });

/** An API token over Basic auth `{ email, apiToken }`, or an OAuth 2.0 access token `{ bearer, ... }` that is refreshed on 401. */
export const jiraCredentialsSchema = z.union([basicCredentials, oauthCredentials]);

/** Parsed `jira` credentials. */
export type JiraCredentials = z.output<typeof jiraCredentialsSchema>;
export type JiraOAuthCredentials = z.output<typeof oauthCredentials>;

/** Atlassian's token endpoint, used when the credentials name none. */
export const ATLASSIAN_TOKEN_URL = 'https://auth.atlassian.com/oauth/token';

/** True for OAuth credentials. */
export function isOAuth(credentials: JiraCredentials): credentials is JiraOAuthCredentials {
  return 'bearer' in credentials;
}

/** True when a rejected access token can be exchanged for a new one. */
export function canRefresh(credentials: JiraCredentials): boolean {
  return isOAuth(credentials) && credentials.refreshToken !== undefined && credentials.clientId !== undefined && credentials.clientSecret !== undefined;
}
