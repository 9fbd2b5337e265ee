import { UnrecoverableVendorError, type PullPage, type PullRequest, type RemoteRecord } from '../sdk/index.ts';
import { createJiraSession } from './create-jira-session.ts';
import { HUB_PROPERTY } from './idempotency-label.ts';
import { ISSUE_FIELDS } from './issue-object.ts';
import type { JiraContext } from './jira-context.ts';
import { floorMinute, jqlDate } from './jira-time.ts';
import { decodeSweep, encodeSweep, type IssueSweep } from './pull-cursor.ts';
import { apiUserTimeZone, jqlString, searchIssues } from './search-issues.ts';
import { toIssueRecord } from './to-remote-record.ts';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 100;
// JQL dates have minute precision and Jira's search index lags a little behind writes.
const OVERLAP_MS = 60_000;

/** The polling query: the project's issues updated since `lo` (in the API user's zone), oldest change first. */
export function issueJql(projectKey: string, lo: number | undefined, timeZone: string): string {
  const since = lo === undefined ? '' : ` AND updated >= ${jqlString(jqlDate(lo, timeZone))}`;
  return `project = ${jqlString(projectKey)}${since} ORDER BY updated ASC`;
}

/**
 * One page of issues changed since the cursor, through `/search/jql`. A sweep reads
 * `updated >= lo ORDER BY updated ASC`; after a page it starts the query again from the newest
 * minute it reached (so an issue edited mid-sweep cannot shift another out of the pages), and
 * follows `nextPageToken` only while a page sits within one busy minute. The next sweep starts a
 * minute before the newest change seen, and records already returned in that overlap (same key,
 * same update) are left out.
 */
export async function pullIssues(ctx: JiraContext, request: PullRequest): Promise<PullPage> {
  if (request.object !== 'issue') {
    throw new UnrecoverableVendorError(0, '', { message: `jira: "${request.object}" is not pulled; read comments with listComments or from comment webhooks` });
  }
  const session = createJiraSession(ctx);
  const state = request.cursor === null ? firstSweep(request.since) : decodeSweep(request.cursor);
  const limit = Math.min(Math.max(1, Math.floor(request.limit ?? DEFAULT_PAGE)), MAX_PAGE);
  const zone = state.z ?? (await apiUserTimeZone(session));
  const jql = state.tok === undefined ? issueJql(ctx.config.projectKey, state.lo, zone) : state.jql!;
  const page = await searchIssues(session, {
    jql,
    maxResults: limit,
    fields: ISSUE_FIELDS,
    properties: [HUB_PROPERTY],
    ...(state.tok === undefined ? {} : { nextPageToken: state.tok }),
  });

  const seen = new Set(state.seen);
  const records: RemoteRecord[] = [];
  const stamps: number[] = [];
  for (const issue of page.issues) {
    const record = toIssueRecord(issue);
    const at = record.updatedAt === undefined ? undefined : Date.parse(record.updatedAt);
    if (at !== undefined) stamps.push(at);
    const tag = `${record.id}@${at ?? ''}`;
    if (seen.has(tag)) continue;
    seen.add(tag);
    records.push(record);
  }
  const hi = stamps.reduce<number | undefined>((max, at) => (max === undefined || at > max ? at : max), state.hi);

  if (page.nextPageToken === undefined) {
    const lo = hi === undefined ? state.lo : Math.max(floorMinute(hi) - OVERLAP_MS, state.lo ?? Number.NEGATIVE_INFINITY);
    return { records, nextCursor: encodeSweep({ ...(lo === undefined ? {} : { lo }), seen: since(seen, lo) }), done: true };
  }

  const pageHigh = stamps.length === 0 ? undefined : Math.max(...stamps);
  const restartAt = pageHigh === undefined ? undefined : floorMinute(pageHigh);
  // Starting again costs re-reading the page's last minute; worth it unless that is most of the page.
  const restart =
    restartAt !== undefined && (state.lo === undefined || restartAt > state.lo) && stamps.filter((at) => at >= restartAt).length * 2 <= stamps.length;
  const next: IssueSweep = restart
    ? { lo: restartAt, z: zone, ...(hi === undefined ? {} : { hi }), seen: since(seen, restartAt) }
    : { ...(state.lo === undefined ? {} : { lo: state.lo }), tok: page.nextPageToken, jql, z: zone, ...(hi === undefined ? {} : { hi }), seen: since(seen, state.lo) };
  return { records, nextCursor: encodeSweep(next), done: false };
}

function firstSweep(since: string | undefined): IssueSweep {
  if (since === undefined) return { seen: [] };
  const at = Date.parse(since);
  if (Number.isNaN(at)) throw new UnrecoverableVendorError(0, '', { message: `jira: "since" must be an ISO 8601 instant, got ${JSON.stringify(since)}` });
  return { lo: floorMinute(at), seen: [] };
}

// Only records at or after the query's lower bound can come back.
function since(seen: Set<string>, lo: number | undefined): string[] {
  const tags = [...seen];
  if (lo === undefined) return tags;
  return tags.filter((tag) => {
    const at = Number(tag.slice(tag.lastIndexOf('@') + 1));
    return !Number.isFinite(at) || at >= lo;
  });
}
