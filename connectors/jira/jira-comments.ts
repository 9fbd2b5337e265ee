import { UnrecoverableVendorError, type ConnectorContext, type RemoteRecord } from '../sdk/index.ts';
import { textToAdf } from './adf-text.ts';
import { createJiraSession } from './create-jira-session.ts';
import type { JiraContext } from './jira-context.ts';
import { jiraConfigSchema } from './jira-settings.ts';
import { toCommentRecord } from './to-remote-record.ts';

const ISSUE_REF = /^(?:[A-Z][A-Z0-9_]{1,9}-\d{1,9}|\d{1,18})$/;
const PAGE = 100;

/** A context built for the jira connector; anything else is a caller's bug. */
function jiraContext(ctx: ConnectorContext): JiraContext {
  if (!jiraConfigSchema.safeParse(ctx.config).success) throw new TypeError('jira comments: the context was not made for a jira connection');
  return ctx as JiraContext;
}

function checkIssueRef(issueKey: string): void {
  if (!ISSUE_REF.test(issueKey)) throw new UnrecoverableVendorError(0, '', { message: `jira: "${issueKey}" is not an issue key such as PAY-42` });
}

/**
 * Adds a comment to an issue (a probe or a note for the people working on it) and returns it as
 * a `comment` record. The text is plain; on API v3 it is sent as Atlassian Document Format.
 * @example await addComment(ctx, 'PAY-42', 'Is milestone 2 on track for 15 Dec?')
 */
export async function addComment(ctx: ConnectorContext, issueKey: string, text: string): Promise<RemoteRecord> {
  const jira = jiraContext(ctx);
  checkIssueRef(issueKey);
  if (text.trim() === '') throw new UnrecoverableVendorError(0, '', { message: 'jira: a comment needs text' });
  const session = createJiraSession(jira);
  const body = jira.config.apiVersion === '3' ? textToAdf(text) : text;
  const created = await session.run<unknown>((client) => client.addCommentAdvanced(issueKey, { body }));
  return toCommentRecord(created, issueKey);
}

/**
 * The comments on an issue written or edited at or after `since` (all of them without it), oldest
 * first, as `comment` records with plain-text bodies: where probe replies are read.
 * @example const replies = await listComments(ctx, { issueKey: 'PAY-42', since: probe.sentAt })
 */
export async function listComments(ctx: ConnectorContext, { issueKey, since }: { issueKey: string; since?: string | Date }): Promise<RemoteRecord[]> {
  const jira = jiraContext(ctx);
  checkIssueRef(issueKey);
  const from = since === undefined ? undefined : typeof since === 'string' ? Date.parse(since) : since.getTime();
  if (from !== undefined && Number.isNaN(from)) throw new UnrecoverableVendorError(0, '', { message: `jira: "since" must be an ISO 8601 instant, got ${JSON.stringify(since)}` });
  const session = createJiraSession(jira);
  const records: RemoteRecord[] = [];
  for (let startAt = 0; ; ) {
    const page = await session.request<{ comments?: unknown; total?: unknown } | undefined>('GET', `/issue/${issueKey}/comment`, {
      query: { startAt, maxResults: PAGE, orderBy: 'created' },
    });
    const comments = Array.isArray(page?.comments) ? page.comments : [];
    for (const comment of comments) {
      const record = toCommentRecord(comment, issueKey);
      if (from === undefined || (record.updatedAt !== undefined && Date.parse(record.updatedAt) >= from)) records.push(record);
    }
    startAt += comments.length;
    const total = typeof page?.total === 'number' ? page.total : startAt;
    if (comments.length === 0 || startAt >= total) return records;
  }
}
