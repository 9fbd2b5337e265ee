import { UnrecoverableVendorError, type GetRequest, type RemoteRecord } from '../sdk/index.ts';
import { createJiraSession } from './create-jira-session.ts';
import type { JiraContext } from './jira-context.ts';
import { readIssue } from './read-issue.ts';

/** One issue by key (or id), as `pull` returns it; null when Jira has none. */
export async function getJiraRecord(ctx: JiraContext, request: GetRequest): Promise<RemoteRecord | null> {
  if (request.object !== 'issue') {
    throw new UnrecoverableVendorError(0, '', { message: `jira: "${request.object}" is not read by id; comments come from listComments and comment webhooks` });
  }
  return readIssue(createJiraSession(ctx), request.id);
}
