import { UnrecoverableVendorError, type RemoteRecord } from '../sdk/index.ts';
import type { JiraSession } from './create-jira-session.ts';
import { HUB_PROPERTY } from './idempotency-label.ts';
import { ISSUE_FIELDS } from './issue-object.ts';
import { toIssueRecord } from './to-remote-record.ts';

/** The issue as Jira returns it, with the given fields and the hub's entity property; null when it no longer exists. */
export async function fetchIssue(session: JiraSession, key: string, fields: readonly string[] = ISSUE_FIELDS): Promise<Record<string, unknown> | null> {
  try {
    return await session.run<Record<string, unknown>>((client) => client.findIssue(key, '', fields.join(','), HUB_PROPERTY));
  } catch (err) {
    if (err instanceof UnrecoverableVendorError && err.status === 404) return null;
    throw err;
  }
}

/** The issue as a RemoteRecord with every field mappings read; null when it no longer exists. */
export async function readIssue(session: JiraSession, key: string): Promise<RemoteRecord | null> {
  const issue = await fetchIssue(session, key);
  return issue === null ? null : toIssueRecord(issue);
}
