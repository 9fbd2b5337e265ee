import { UnrecoverableVendorError } from '../sdk/index.ts';
import type { JiraSession } from './create-jira-session.ts';

/** One page of `/search/jql`. */
export interface SearchPage {
  issues: Record<string, unknown>[];
  /** Absent on the last page, as Jira Cloud omits it. */
  nextPageToken?: string;
}

/**
 * One page of Jira's enhanced search (`POST /rest/api/{v}/search/jql`); the legacy `/search` is
 * gone from Jira Cloud. Without `fields` it returns ids only, so callers name what they read.
 */
export async function searchIssues(
  session: JiraSession,
  { jql, maxResults, fields, properties = [], nextPageToken }: { jql: string; maxResults: number; fields: readonly string[]; properties?: readonly string[]; nextPageToken?: string },
): Promise<SearchPage> {
  const answer = await session.request<{ issues?: unknown; nextPageToken?: unknown; isLast?: unknown } | undefined>('POST', '/search/jql', {
    body: { jql, maxResults, fields, ...(properties.length === 0 ? {} : { properties }), ...(nextPageToken === undefined ? {} : { nextPageToken }) },
  });
  if (!Array.isArray(answer?.issues)) throw new UnrecoverableVendorError(200, JSON.stringify(answer)?.slice(0, 500) ?? '', { message: 'Jira search answered without an issues list' });
  const token = typeof answer.nextPageToken === 'string' && answer.nextPageToken !== '' && answer.isLast !== true ? answer.nextPageToken : undefined;
  return { issues: answer.issues as Record<string, unknown>[], ...(token === undefined ? {} : { nextPageToken: token }) };
}

/** A JQL string literal. */
export function jqlString(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** The API user's time zone, in which Jira reads JQL dates; UTC when the profile does not say. */
export async function apiUserTimeZone(session: JiraSession): Promise<string> {
  const me = await session.run<{ timeZone?: unknown } | undefined>((client) => client.getCurrentUser());
  return typeof me?.timeZone === 'string' && me.timeZone !== '' ? me.timeZone : 'UTC';
}
